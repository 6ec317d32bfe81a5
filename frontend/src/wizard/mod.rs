//! The onboarding wizard in the browser: the domain's `Wizard` machine held in a signal, fed the
//! buttons the user presses (in the wizard's panel or on the real page), and saved to the server
//! after every move so a reload resumes where the user was.

mod focus;
mod overlay;
mod screens;

use domain::{Wizard, WizardAction, WizardContext, WizardStep};
use leptos::{prelude::*, task::spawn_local};
use proto::{Me, WizardProgress};
use uuid::Uuid;

use crate::{api, session::Session};

pub use overlay::{WizardOverlay, done_button};
pub use screens::{AZURE_LOGIN, MSP_ONBOARDING, Spotlight, WINDOWS_GP};

/// What the pages tell the machine about themselves; the machine decides with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct PageFacts {
    policy_name_valid: bool,
    credentials_filled: bool,
    customer_list_open: bool,
}

/// The wizard as the pages and the overlay see it. `machine` is `None` when MSP Onboarding is
/// not available to the user (SPEC §2): then there is no wizard at all.
#[derive(Clone, Copy)]
pub struct WizardControl {
    machine: RwSignal<Option<Wizard>>,
    facts: RwSignal<PageFacts>,
    problem: RwSignal<Option<String>>,
    created_policy: RwSignal<Option<Uuid>>,
    session: Session,
}

fn signed_in_untracked(session: Session) -> Option<Me> {
    session.0.with_untracked(|state| state.clone().flatten())
}

impl WizardControl {
    /// The wizard of the user who just signed in (or reloaded), opened by itself on the first
    /// sign-in while it has never been started.
    pub fn start(session: Session) -> Self {
        let me = signed_in_untracked(session);
        let machine = me
            .as_ref()
            .filter(|me| me.feature_available)
            .map(|me| Wizard::from_progress(&me.wizard));
        let control = Self {
            machine: RwSignal::new(machine.clone()),
            facts: RwSignal::new(PageFacts::default()),
            problem: RwSignal::new(None),
            created_policy: RwSignal::new(None),
            session,
        };
        if machine.is_some_and(|wizard| wizard.launches_on_sign_in()) {
            control.apply(WizardAction::AutoLaunch);
        }
        control
    }

    /// The open wizard's current step; `None` while it is closed.
    pub fn step(&self) -> Option<WizardStep> {
        self.machine
            .with(|machine| machine.as_ref().filter(|w| w.is_open()).map(Wizard::step))
    }

    pub fn at(&self, step: WizardStep) -> bool {
        self.step() == Some(step)
    }

    /// Whether the open wizard points at this control of the page.
    pub fn points_at(&self, target: Spotlight) -> bool {
        self.step()
            .and_then(|step| screens::screen(step).spotlight)
            .is_some_and(|shown| shown == target)
    }

    fn confirming_without_tenant_id(&self) -> bool {
        self.machine.with(|machine| {
            machine
                .as_ref()
                .is_some_and(Wizard::confirming_without_tenant_id)
        })
    }

    fn problem(&self) -> Option<String> {
        self.problem.get()
    }

    fn customer_list_open(&self) -> bool {
        self.facts.with(|facts| facts.customer_list_open)
    }

    fn context(&self) -> WizardContext {
        let me = signed_in_untracked(self.session);
        let facts = self.facts.get_untracked();
        WizardContext {
            claims: me
                .as_ref()
                .map(|me| me.claims.iter().copied().collect())
                .unwrap_or_default(),
            policy_name_valid: facts.policy_name_valid,
            tenant_id_saved: me.is_some_and(|me| me.tenant.azure_tenant_id.is_some()),
            credentials_filled: facts.credentials_filled,
        }
    }

    /// Feeds the machine one action; a move it refuses is explained in the wizard's panel.
    pub fn apply(&self, action: WizardAction) {
        let Some(current) = self.machine.get_untracked() else {
            return;
        };
        match current.apply(action, &self.context()) {
            Ok(next) => {
                self.problem.set(None);
                let progress = next.progress();
                let moved = progress != current.progress();
                self.machine.set(Some(next));
                if moved {
                    self.save(progress);
                }
            }
            Err(refusal) => self.problem.set(Some(api::sentence(&refusal.to_string()))),
        }
    }

    /// Applies `action` only when the wizard is open on `step`: the real page's controls call
    /// this, so they work the same with or without the wizard.
    pub fn apply_at(&self, step: WizardStep, action: WizardAction) {
        let here = self.machine.with_untracked(|machine| {
            machine
                .as_ref()
                .is_some_and(|wizard| wizard.is_open() && wizard.step() == step)
        });
        if here {
            self.apply(action);
        }
    }

    fn save(&self, progress: WizardProgress) {
        let problem = self.problem;
        spawn_local(async move {
            if let Err(failure) = api::save_wizard_progress(progress).await {
                problem.set(Some(format!(
                    "Your progress could not be saved: {}",
                    failure.message()
                )));
            }
        });
    }

    pub fn report_policy_name_valid(&self, valid: bool) {
        self.facts.update(|facts| facts.policy_name_valid = valid);
    }

    pub fn report_credentials_filled(&self, filled: bool) {
        self.facts.update(|facts| facts.credentials_filled = filled);
    }

    pub fn report_customer_list_open(&self, open: bool) {
        self.facts.update(|facts| facts.customer_list_open = open);
    }

    pub fn record_created_policy(&self, id: Uuid) {
        self.created_policy.set(Some(id));
    }

    /// The policy created in step 5 of this visit; after a reload the page picks the newest.
    pub fn created_policy(&self) -> Option<Uuid> {
        self.created_policy.get()
    }
}

/// The shell provides the wizard to every page; outside it there is none to drive.
pub fn use_wizard() -> WizardControl {
    use_context::<WizardControl>()
        .unwrap_or_else(|| WizardControl::start(Session(RwSignal::new(None))))
}
