use proto::{Claim, WizardProgress, WizardStatus};

use super::*;
use crate::ClaimSet;

use WizardAction as A;
use WizardStep as S;

const STEP_ACTIONS: [WizardAction; 11] = [
    A::Start,
    A::Next,
    A::Skip,
    A::CreateNewPolicy,
    A::PolicyCreated,
    A::PolicyEnabled,
    A::OpenTab,
    A::SeeCustomerList,
    A::FinishWithoutTenantId,
    A::CancelConfirmation,
    A::Done,
];

fn context(claims: ClaimSet) -> WizardContext {
    WizardContext {
        claims,
        policy_name_valid: true,
        tenant_id_saved: true,
        credentials_filled: true,
    }
}

fn open_at(step: WizardStep) -> Wizard {
    Wizard::restore(WizardStatus::InProgress, step, Vec::new())
}

fn claim_variants() -> [(&'static str, ClaimSet); 3] {
    [
        ("every claim", ClaimSet::all()),
        (
            "no view_endpoint_settings",
            ClaimSet::all_but(Claim::ViewEndpointSettings),
        ),
        (
            "no edit_endpoint_settings",
            ClaimSet::all_but(Claim::EditEndpointSettings),
        ),
    ]
}

/// SPEC §5's table: from, action, claims, where it leads (None: the wizard closes completed).
fn section_5_transitions() -> Vec<(WizardStep, WizardAction, &'static str, Option<WizardStep>)> {
    let mut table = Vec::new();
    for (label, _) in claim_variants() {
        let start_to = if label == "no view_endpoint_settings" {
            S::AzureLogin
        } else {
            S::WindowsGp
        };
        let gp_next_to = if label == "no edit_endpoint_settings" {
            S::AzureLogin
        } else {
            S::CreatePolicyPrompt
        };
        table.extend([
            (S::Home, A::Start, label, Some(start_to)),
            (S::WindowsGp, A::Next, label, Some(gp_next_to)),
            (
                S::CreatePolicyPrompt,
                A::CreateNewPolicy,
                label,
                Some(S::PolicyName),
            ),
            (S::CreatePolicyPrompt, A::Skip, label, Some(S::AzureLogin)),
            (S::PolicyName, A::Next, label, Some(S::CreatePolicy)),
            (
                S::CreatePolicy,
                A::PolicyCreated,
                label,
                Some(S::PolicyCreated),
            ),
            (S::PolicyCreated, A::Next, label, Some(S::PolicyList)),
            (
                S::PolicyList,
                A::PolicyEnabled,
                label,
                Some(S::PolicyEnabled),
            ),
            (S::PolicyList, A::Next, label, Some(S::AzureLogin)),
            (S::PolicyEnabled, A::Next, label, Some(S::AzureLogin)),
            (S::AzureLogin, A::Next, label, Some(S::MspOnboardingTab)),
            (S::MspOnboardingTab, A::OpenTab, label, Some(S::Credentials)),
            (S::Credentials, A::Next, label, Some(S::CustomerList)),
            (
                S::Credentials,
                A::SeeCustomerList,
                label,
                Some(S::CustomerList),
            ),
            (S::CustomerList, A::Done, label, None),
        ]);
    }
    table
}

#[test]
fn every_step_action_and_claim_combination_follows_section_5() {
    let table = section_5_transitions();
    for step in WizardStep::ALL {
        for action in STEP_ACTIONS {
            for (label, claims) in claim_variants() {
                let outcome = open_at(step).apply(action, &context(claims));
                let expected = table
                    .iter()
                    .find(|(from, on, claims_label, _)| {
                        *from == step && *on == action && *claims_label == label
                    })
                    .map(|(_, _, _, to)| *to);
                match (expected, outcome) {
                    (Some(Some(to)), Ok(next)) => {
                        assert_eq!(next.step(), to, "{step:?} + {action:?} with {label}");
                        assert_eq!(next.status(), WizardStatus::InProgress);
                        assert_eq!(
                            next.history().last(),
                            Some(&step),
                            "{step:?} + {action:?} records where it came from"
                        );
                    }
                    (Some(None), Ok(next)) => assert_eq!(
                        next.status(),
                        WizardStatus::Completed,
                        "{step:?} + {action:?}"
                    ),
                    (None, Err(WizardError::NotAvailable { action: refused })) => {
                        assert_eq!(refused, action)
                    }
                    (expected, outcome) => {
                        panic!(
                            "{step:?} + {action:?} with {label}: expected {expected:?}, got {outcome:?}"
                        )
                    }
                }
            }
        }
    }
}

#[test]
fn back_returns_to_the_step_the_user_came_from_not_the_previous_number() {
    let all = context(ClaimSet::all());
    let skipped_from_home = open_at(S::Home)
        .apply(
            A::Start,
            &context(ClaimSet::all_but(Claim::ViewEndpointSettings)),
        )
        .unwrap();
    assert_eq!(skipped_from_home.step(), S::AzureLogin);
    assert_eq!(
        skipped_from_home.apply(A::Back, &all).unwrap().step(),
        S::Home
    );

    let skipped_from_prompt = open_at(S::CreatePolicyPrompt).apply(A::Skip, &all).unwrap();
    assert_eq!(
        skipped_from_prompt.apply(A::Back, &all).unwrap().step(),
        S::CreatePolicyPrompt
    );

    let skipped_enabling = open_at(S::PolicyList).apply(A::Next, &all).unwrap();
    assert_eq!(
        skipped_enabling.apply(A::Back, &all).unwrap().step(),
        S::PolicyList
    );
}

#[test]
fn the_full_path_walks_back_through_every_step_it_visited() {
    let all = context(ClaimSet::all());
    let path = [
        A::Start,
        A::Next,
        A::CreateNewPolicy,
        A::Next,
        A::PolicyCreated,
        A::Next,
        A::PolicyEnabled,
        A::Next,
        A::Next,
        A::OpenTab,
        A::Next,
    ];
    let mut wizard = Wizard::new().apply(A::AutoLaunch, &all).unwrap();
    for action in path {
        wizard = wizard.apply(action, &all).unwrap();
    }
    assert_eq!(wizard.step(), S::CustomerList);
    let mut visited_backwards = Vec::new();
    while let Ok(previous) = wizard.apply(A::Back, &all) {
        wizard = previous;
        visited_backwards.push(wizard.step().number());
    }
    assert_eq!(visited_backwards, vec![11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert_eq!(
        wizard.apply(A::Back, &all),
        Err(WizardError::NotAvailable { action: A::Back })
    );
}

#[test]
fn next_on_step_9_without_a_tenant_id_asks_for_confirmation() {
    let no_tenant = WizardContext {
        tenant_id_saved: false,
        ..context(ClaimSet::all())
    };
    let asking = open_at(S::AzureLogin).apply(A::Next, &no_tenant).unwrap();
    assert!(asking.confirming_without_tenant_id());
    assert_eq!(asking.step(), S::AzureLogin);

    let finished = asking.apply(A::FinishWithoutTenantId, &no_tenant).unwrap();
    assert_eq!(finished.status(), WizardStatus::Completed);

    let cancelled = asking.apply(A::CancelConfirmation, &no_tenant).unwrap();
    assert_eq!(
        (cancelled.step(), cancelled.confirming_without_tenant_id()),
        (S::AzureLogin, false)
    );
    assert_eq!(cancelled.status(), WizardStatus::InProgress);

    for action in [A::Next, A::Back, A::Start, A::Done, A::OpenTab] {
        assert_eq!(
            asking.apply(action, &no_tenant),
            Err(WizardError::NotAvailable { action }),
            "{action:?}"
        );
    }
    assert_eq!(
        asking.apply(A::Dismiss, &no_tenant).unwrap().status(),
        WizardStatus::Dismissed
    );
}

#[test]
fn a_step_refuses_next_until_its_input_is_complete() {
    let unfinished = WizardContext {
        policy_name_valid: false,
        credentials_filled: false,
        ..context(ClaimSet::all())
    };
    assert_eq!(
        open_at(S::PolicyName).apply(A::Next, &unfinished),
        Err(WizardError::PolicyNameInvalid)
    );
    for action in [A::Next, A::SeeCustomerList] {
        assert_eq!(
            open_at(S::Credentials).apply(action, &unfinished),
            Err(WizardError::CredentialsMissing)
        );
    }
}

#[test]
fn dismissing_at_any_step_closes_the_wizard_for_good() {
    let all = context(ClaimSet::all());
    for step in WizardStep::ALL {
        let dismissed = open_at(step).apply(A::Dismiss, &all).unwrap();
        assert_eq!(dismissed.status(), WizardStatus::Dismissed, "{step:?}");
        assert!(!dismissed.launches_on_sign_in());
        assert_eq!(
            dismissed.apply(A::AutoLaunch, &all),
            Err(WizardError::NotAvailable {
                action: A::AutoLaunch
            })
        );
        for action in STEP_ACTIONS.into_iter().chain([A::Back, A::Dismiss]) {
            assert_eq!(
                dismissed.apply(action, &all),
                Err(WizardError::NotOpen),
                "{step:?} + {action:?}"
            );
        }
    }
}

#[test]
fn the_wizard_launches_by_itself_only_while_not_started() {
    let all = context(ClaimSet::all());
    let fresh = Wizard::new();
    assert!(fresh.launches_on_sign_in());
    assert_eq!(fresh.apply(A::Start, &all), Err(WizardError::NotOpen));
    let launched = fresh.apply(A::AutoLaunch, &all).unwrap();
    assert_eq!(
        (launched.status(), launched.step()),
        (WizardStatus::InProgress, S::Home)
    );
    assert!(!launched.launches_on_sign_in());
    assert!(launched.apply(A::AutoLaunch, &all).is_err());
}

#[test]
fn relaunching_starts_again_at_home_from_any_state() {
    let all = context(ClaimSet::all());
    let states = [
        Wizard::new(),
        Wizard::restore(WizardStatus::Completed, S::CustomerList, vec![S::Home]),
        Wizard::restore(WizardStatus::Dismissed, S::PolicyList, vec![]),
        Wizard::restore(
            WizardStatus::InProgress,
            S::Credentials,
            vec![S::Home, S::AzureLogin, S::MspOnboardingTab],
        ),
    ];
    for state in states {
        let relaunched = state.apply(A::Relaunch, &all).unwrap();
        assert_eq!(
            (relaunched.status(), relaunched.step()),
            (WizardStatus::InProgress, S::Home)
        );
        assert!(relaunched.history().is_empty());
    }
}

#[test]
fn only_done_on_the_last_step_or_finish_without_a_tenant_id_completes() {
    let all = context(ClaimSet::all());
    for step in WizardStep::ALL {
        for action in STEP_ACTIONS {
            if let Ok(next) = open_at(step).apply(action, &all) {
                let completes = next.status() == WizardStatus::Completed;
                assert_eq!(
                    completes,
                    (step, action) == (S::CustomerList, A::Done),
                    "{step:?} + {action:?}"
                );
            }
        }
    }
}

#[test]
fn step_numbers_round_trip_and_a_restored_history_must_be_walkable() {
    for step in WizardStep::ALL {
        assert_eq!(WizardStep::from_number(step.number()), Some(step));
    }
    assert_eq!(WizardStep::from_number(0), None);
    assert_eq!(WizardStep::from_number(13), None);
    let plausible = Wizard::restore(
        WizardStatus::InProgress,
        S::AzureLogin,
        vec![S::Home, S::CreatePolicyPrompt],
    );
    assert_eq!(plausible.history(), &[S::Home, S::CreatePolicyPrompt]);
    let impossible = Wizard::restore(
        WizardStatus::InProgress,
        S::WindowsGp,
        vec![S::CustomerList],
    );
    assert!(impossible.history().is_empty());
}

#[test]
fn a_stored_state_is_checked_against_section_5_and_the_claims() {
    let all = ClaimSet::all();
    let restored = Wizard::parse_stored(WizardStatus::InProgress, 9, &[1, 3], &all).unwrap();
    assert_eq!(
        (restored.step(), restored.history()),
        (S::AzureLogin, &[S::Home, S::CreatePolicyPrompt][..])
    );
    assert!(Wizard::parse_stored(WizardStatus::Completed, 12, &[], &all).is_ok());
    assert!(Wizard::parse_stored(WizardStatus::Completed, 9, &[1], &all).is_ok());
    assert!(Wizard::parse_stored(WizardStatus::Dismissed, 5, &[1, 2, 3, 4], &all).is_ok());

    let no_view = ClaimSet::all_but(Claim::ViewEndpointSettings);
    let no_edit = ClaimSet::all_but(Claim::EditEndpointSettings);
    assert!(Wizard::parse_stored(WizardStatus::InProgress, 9, &[1], &no_view).is_ok());
    assert!(Wizard::parse_stored(WizardStatus::InProgress, 9, &[1, 2], &no_edit).is_ok());

    let refused = [
        (
            WizardStatus::InProgress,
            0,
            vec![],
            &all,
            WizardProgressError::StepOutOfRange,
        ),
        (
            WizardStatus::InProgress,
            13,
            vec![],
            &all,
            WizardProgressError::StepOutOfRange,
        ),
        (
            WizardStatus::NotStarted,
            1,
            vec![],
            &all,
            WizardProgressError::CannotResetToNotStarted,
        ),
        (
            WizardStatus::Completed,
            7,
            vec![],
            &all,
            WizardProgressError::CompletedOnWrongStep,
        ),
        (
            WizardStatus::InProgress,
            4,
            vec![5],
            &all,
            WizardProgressError::ImpossibleHistory,
        ),
        (
            WizardStatus::InProgress,
            4,
            vec![2, 1],
            &all,
            WizardProgressError::ImpossibleHistory,
        ),
        (
            WizardStatus::InProgress,
            4,
            vec![99],
            &all,
            WizardProgressError::ImpossibleHistory,
        ),
        (
            WizardStatus::InProgress,
            2,
            vec![1],
            &no_view,
            WizardProgressError::EndpointStepsHidden,
        ),
        (
            WizardStatus::InProgress,
            9,
            vec![1, 2],
            &no_view,
            WizardProgressError::EndpointStepsHidden,
        ),
        (
            WizardStatus::InProgress,
            3,
            vec![1, 2],
            &no_edit,
            WizardProgressError::EndpointStepsReadOnly,
        ),
        (
            WizardStatus::InProgress,
            9,
            vec![1, 2, 3],
            &no_edit,
            WizardProgressError::EndpointStepsReadOnly,
        ),
    ];
    for (status, step, history, claims, expected) in refused {
        assert_eq!(
            Wizard::parse_stored(status, step, &history, claims),
            Err(expected.clone()),
            "{status:?} step {step} history {history:?}"
        );
    }
}

fn progress(status: WizardStatus, step: u8, history: &[u8]) -> WizardProgress {
    WizardProgress {
        status,
        step,
        history: history.to_vec(),
    }
}

#[test]
fn a_state_round_trips_through_its_stored_progress() {
    let all = ClaimSet::all();
    let walked = [
        (A::Start, S::WindowsGp),
        (A::Next, S::CreatePolicyPrompt),
        (A::Skip, S::AzureLogin),
    ];
    let mut wizard = Wizard::new()
        .apply(A::Relaunch, &context(all.clone()))
        .unwrap();
    for (action, step) in walked {
        wizard = wizard.apply(action, &context(all.clone())).unwrap();
        assert_eq!(wizard.step(), step);
    }
    let stored = wizard.progress();
    assert_eq!(stored, progress(WizardStatus::InProgress, 9, &[1, 2, 3]));
    assert_eq!(Wizard::from_progress(&stored), wizard);
    assert_eq!(Wizard::parse_progress(&stored, &all), Ok(wizard));
    assert_eq!(
        Wizard::new().progress(),
        progress(WizardStatus::NotStarted, 1, &[])
    );
}

#[test]
fn parsing_progress_refuses_what_parse_stored_refuses() {
    let no_view = ClaimSet::all_but(Claim::ViewEndpointSettings);
    let cases = [
        (
            progress(WizardStatus::InProgress, 13, &[]),
            WizardProgressError::StepOutOfRange,
        ),
        (
            progress(WizardStatus::NotStarted, 1, &[]),
            WizardProgressError::CannotResetToNotStarted,
        ),
        (
            progress(WizardStatus::InProgress, 9, &[1, 2]),
            WizardProgressError::EndpointStepsHidden,
        ),
    ];
    for (stored, expected) in cases {
        assert_eq!(
            Wizard::parse_progress(&stored, &no_view),
            Err(expected),
            "{stored:?}"
        );
    }
}

#[test]
fn progress_from_the_server_is_restored_without_refusal() {
    let cases = [
        (progress(WizardStatus::NotStarted, 1, &[]), Wizard::new()),
        (
            progress(WizardStatus::InProgress, 0, &[1]),
            Wizard::restore(WizardStatus::InProgress, S::Home, Vec::new()),
        ),
        (
            progress(WizardStatus::Dismissed, 9, &[1, 99, 3]),
            Wizard::restore(
                WizardStatus::Dismissed,
                S::AzureLogin,
                vec![S::Home, S::CreatePolicyPrompt],
            ),
        ),
        (
            progress(WizardStatus::InProgress, 2, &[9]),
            Wizard::restore(WizardStatus::InProgress, S::WindowsGp, Vec::new()),
        ),
    ];
    for (stored, expected) in cases {
        let restored = Wizard::from_progress(&stored);
        assert_eq!(restored, expected, "{stored:?}");
    }
}
