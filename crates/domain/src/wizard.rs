//! The onboarding wizard of SPEC §5 as a pure state machine. The web app renders whatever state
//! the machine is in and feeds it the button the user pressed; it never decides a transition.

use proto::{Claim, WizardProgress, WizardStatus};

use crate::ClaimSet;

/// The twelve screens of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WizardStep {
    /// 1: welcome; Start.
    Home,
    /// 2: Endpoint Settings → Windows GP, with the Reseller Master GPs Distribution toggle.
    WindowsGp,
    /// 3: offer to create a new policy, or skip to the Azure login.
    CreatePolicyPrompt,
    /// 4: the new policy's name.
    PolicyName,
    /// 5: create the policy through the API.
    CreatePolicy,
    /// 6: the policy was created.
    PolicyCreated,
    /// 7: the policy list with the new policy highlighted; turn it on, or go on.
    PolicyList,
    /// 8: the policy was turned on.
    PolicyEnabled,
    /// 9: Azure Login: the reseller's Entra tenant ID.
    AzureLogin,
    /// 10: the MSP Onboarding tab, highlighted until the user clicks it.
    MspOnboardingTab,
    /// 11: Client ID and Secret Value.
    Credentials,
    /// 12: the customer list.
    CustomerList,
}

impl WizardStep {
    pub const ALL: [WizardStep; 12] = [
        Self::Home,
        Self::WindowsGp,
        Self::CreatePolicyPrompt,
        Self::PolicyName,
        Self::CreatePolicy,
        Self::PolicyCreated,
        Self::PolicyList,
        Self::PolicyEnabled,
        Self::AzureLogin,
        Self::MspOnboardingTab,
        Self::Credentials,
        Self::CustomerList,
    ];

    /// The step's number, 1–12, as stored and shown.
    pub fn number(self) -> u8 {
        match self {
            Self::Home => 1,
            Self::WindowsGp => 2,
            Self::CreatePolicyPrompt => 3,
            Self::PolicyName => 4,
            Self::CreatePolicy => 5,
            Self::PolicyCreated => 6,
            Self::PolicyList => 7,
            Self::PolicyEnabled => 8,
            Self::AzureLogin => 9,
            Self::MspOnboardingTab => 10,
            Self::Credentials => 11,
            Self::CustomerList => 12,
        }
    }

    pub fn from_number(number: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.number() == number)
    }
}

/// What the user did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardAction {
    /// The wizard opens by itself (first sign-in while `not_started`).
    AutoLaunch,
    /// "Launch Onboarding Wizard" on the MSP Onboarding tab.
    Relaunch,
    /// Closing the wizard at any step.
    Dismiss,
    Start,
    Next,
    Back,
    /// Step 3: Skip.
    Skip,
    /// Step 3: Create New Policy.
    CreateNewPolicy,
    /// Step 5: the API created the policy.
    PolicyCreated,
    /// Step 7: the user turned the new policy on (and it was saved).
    PolicyEnabled,
    /// Step 10: the user clicked the MSP Onboarding tab.
    OpenTab,
    /// Step 11: See customer list.
    SeeCustomerList,
    /// Step 9's confirmation: Finish without a tenant ID.
    FinishWithoutTenantId,
    /// Step 9's confirmation: Cancel.
    CancelConfirmation,
    /// Step 12: Done.
    Done,
}

/// What the machine needs to know about the page and the user to decide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WizardContext {
    pub claims: ClaimSet,
    /// Step 4: the entered policy name satisfies the rules of §3.
    pub policy_name_valid: bool,
    /// Step 9: a tenant ID is saved.
    pub tenant_id_saved: bool,
    /// Step 11: both Client ID and Secret Value are filled.
    pub credentials_filled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WizardError {
    #[error("{action:?} is not possible on this screen")]
    NotAvailable { action: WizardAction },
    #[error("the wizard is not open")]
    NotOpen,
    #[error("enter a valid policy name first")]
    PolicyNameInvalid,
    #[error("fill in both the Client ID and the Secret Value first")]
    CredentialsMissing,
}

/// The wizard's state: its status, the current step, the steps the user came through (so Back
/// returns where they really came from), and whether step 9's confirmation is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wizard {
    status: WizardStatus,
    step: WizardStep,
    history: Vec<WizardStep>,
    confirming_without_tenant_id: bool,
}

impl Default for Wizard {
    fn default() -> Self {
        Self::new()
    }
}

impl Wizard {
    pub fn new() -> Self {
        Self {
            status: WizardStatus::NotStarted,
            step: WizardStep::Home,
            history: Vec::new(),
            confirming_without_tenant_id: false,
        }
    }

    /// Restores a stored state; a history that could not have been walked is dropped.
    pub fn restore(status: WizardStatus, step: WizardStep, history: Vec<WizardStep>) -> Self {
        let history_is_plausible = history.iter().all(|earlier| *earlier < step)
            && history.windows(2).all(|pair| pair[0] < pair[1]);
        Self {
            status,
            step,
            history: if history_is_plausible {
                history
            } else {
                Vec::new()
            },
            confirming_without_tenant_id: false,
        }
    }

    pub fn status(&self) -> WizardStatus {
        self.status
    }

    pub fn step(&self) -> WizardStep {
        self.step
    }

    pub fn history(&self) -> &[WizardStep] {
        &self.history
    }

    pub fn is_open(&self) -> bool {
        self.status == WizardStatus::InProgress
    }

    /// Step 9's "The next steps require a Tenant ID…" confirmation is showing.
    pub fn confirming_without_tenant_id(&self) -> bool {
        self.confirming_without_tenant_id
    }

    /// Whether the wizard should open by itself when the user signs in.
    pub fn launches_on_sign_in(&self) -> bool {
        self.status == WizardStatus::NotStarted
    }

    fn forward(&self, to: WizardStep) -> Self {
        let mut history = self.history.clone();
        history.push(self.step);
        Self {
            status: WizardStatus::InProgress,
            step: to,
            history,
            confirming_without_tenant_id: false,
        }
    }

    fn with_status(&self, status: WizardStatus) -> Self {
        Self {
            status,
            confirming_without_tenant_id: false,
            ..self.clone()
        }
    }

    fn opened_at_home() -> Self {
        Self {
            status: WizardStatus::InProgress,
            ..Self::new()
        }
    }

    /// The state after `action`, or why it is not possible now.
    pub fn apply(
        &self,
        action: WizardAction,
        context: &WizardContext,
    ) -> Result<Self, WizardError> {
        use WizardAction as A;
        use WizardStep as S;
        let not_available = Err(WizardError::NotAvailable { action });
        match action {
            A::Relaunch => return Ok(Self::opened_at_home()),
            A::AutoLaunch if self.status == WizardStatus::NotStarted => {
                return Ok(Self::opened_at_home());
            }
            A::AutoLaunch => return not_available,
            _ if !self.is_open() => return Err(WizardError::NotOpen),
            A::Dismiss => return Ok(self.with_status(WizardStatus::Dismissed)),
            _ => {}
        }
        if self.confirming_without_tenant_id {
            return match action {
                A::FinishWithoutTenantId => Ok(self.with_status(WizardStatus::Completed)),
                A::CancelConfirmation => Ok(Self {
                    confirming_without_tenant_id: false,
                    ..self.clone()
                }),
                _ => not_available,
            };
        }
        if action == A::Back {
            let mut history = self.history.clone();
            return match history.pop() {
                Some(previous) => Ok(Self {
                    step: previous,
                    history,
                    ..self.clone()
                }),
                None => not_available,
            };
        }
        let can = |claim| context.claims.contains(claim);
        match (self.step, action) {
            (S::Home, A::Start) if can(Claim::ViewEndpointSettings) => {
                Ok(self.forward(S::WindowsGp))
            }
            (S::Home, A::Start) => Ok(self.forward(S::AzureLogin)),
            (S::WindowsGp, A::Next) if can(Claim::EditEndpointSettings) => {
                Ok(self.forward(S::CreatePolicyPrompt))
            }
            (S::WindowsGp, A::Next) => Ok(self.forward(S::AzureLogin)),
            (S::CreatePolicyPrompt, A::CreateNewPolicy) => Ok(self.forward(S::PolicyName)),
            (S::CreatePolicyPrompt, A::Skip) => Ok(self.forward(S::AzureLogin)),
            (S::PolicyName, A::Next) if context.policy_name_valid => {
                Ok(self.forward(S::CreatePolicy))
            }
            (S::PolicyName, A::Next) => Err(WizardError::PolicyNameInvalid),
            (S::CreatePolicy, A::PolicyCreated) => Ok(self.forward(S::PolicyCreated)),
            (S::PolicyCreated, A::Next) => Ok(self.forward(S::PolicyList)),
            (S::PolicyList, A::PolicyEnabled) => Ok(self.forward(S::PolicyEnabled)),
            (S::PolicyList, A::Next) | (S::PolicyEnabled, A::Next) => {
                Ok(self.forward(S::AzureLogin))
            }
            (S::AzureLogin, A::Next) if context.tenant_id_saved => {
                Ok(self.forward(S::MspOnboardingTab))
            }
            (S::AzureLogin, A::Next) => Ok(Self {
                confirming_without_tenant_id: true,
                ..self.clone()
            }),
            (S::MspOnboardingTab, A::OpenTab) => Ok(self.forward(S::Credentials)),
            (S::Credentials, A::Next | A::SeeCustomerList) if context.credentials_filled => {
                Ok(self.forward(S::CustomerList))
            }
            (S::Credentials, A::Next | A::SeeCustomerList) => Err(WizardError::CredentialsMissing),
            (S::CustomerList, A::Done) => Ok(self.with_status(WizardStatus::Completed)),
            _ => not_available,
        }
    }
}

#[cfg(test)]
#[path = "wizard_tests.rs"]
mod tests;

/// Why a stored wizard state is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WizardProgressError {
    #[error("steps are numbered 1 to 12")]
    StepOutOfRange,
    #[error("`not_started` is only the state before the wizard first opens")]
    CannotResetToNotStarted,
    #[error(
        "the wizard completes only with Done on step 12, or Finish on step 9 without a tenant ID"
    )]
    CompletedOnWrongStep,
    #[error("the history must list earlier steps in the order they were visited")]
    ImpossibleHistory,
    #[error("your account cannot see endpoint settings, so the wizard skips steps 2–8")]
    EndpointStepsHidden,
    #[error("your account cannot edit endpoint settings, so the wizard skips steps 3–8")]
    EndpointStepsReadOnly,
}

impl Wizard {
    /// A state sent by a client (status, step number, history numbers), checked against the
    /// rules of §5 and the claims that decide which steps the user may reach.
    pub fn parse_stored(
        status: WizardStatus,
        step: u8,
        history: &[u8],
        claims: &ClaimSet,
    ) -> Result<Self, WizardProgressError> {
        let step = WizardStep::from_number(step).ok_or(WizardProgressError::StepOutOfRange)?;
        let history = history
            .iter()
            .map(|number| {
                WizardStep::from_number(*number).ok_or(WizardProgressError::ImpossibleHistory)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let walkable = history.iter().all(|earlier| *earlier < step)
            && history.windows(2).all(|pair| pair[0] < pair[1]);
        if !walkable {
            return Err(WizardProgressError::ImpossibleHistory);
        }
        if status == WizardStatus::NotStarted {
            return Err(WizardProgressError::CannotResetToNotStarted);
        }
        if status == WizardStatus::Completed
            && !matches!(step, WizardStep::AzureLogin | WizardStep::CustomerList)
        {
            return Err(WizardProgressError::CompletedOnWrongStep);
        }
        let reached = || history.iter().copied().chain([step]);
        let endpoint_steps = WizardStep::WindowsGp..=WizardStep::PolicyEnabled;
        if !claims.contains(Claim::ViewEndpointSettings)
            && reached().any(|visited| endpoint_steps.contains(&visited))
        {
            return Err(WizardProgressError::EndpointStepsHidden);
        }
        let editing_steps = WizardStep::CreatePolicyPrompt..=WizardStep::PolicyEnabled;
        if !claims.contains(Claim::EditEndpointSettings)
            && reached().any(|visited| editing_steps.contains(&visited))
        {
            return Err(WizardProgressError::EndpointStepsReadOnly);
        }
        Ok(Self {
            status,
            step,
            history,
            confirming_without_tenant_id: false,
        })
    }
}

impl Wizard {
    /// The state as the API stores and sends it: status, step number and the numbers of the
    /// steps the user came through.
    pub fn progress(&self) -> WizardProgress {
        WizardProgress {
            status: self.status,
            step: self.step.number(),
            history: self.history.iter().map(|step| step.number()).collect(),
        }
    }

    /// A state a client sent, checked as `parse_stored` checks it.
    pub fn parse_progress(
        progress: &WizardProgress,
        claims: &ClaimSet,
    ) -> Result<Self, WizardProgressError> {
        Self::parse_stored(progress.status, progress.step, &progress.history, claims)
    }

    /// The state the server handed back, which it checked when it was saved: restored without
    /// refusing anything, an unknown step read as step 1 and unknown or impossible history left
    /// out, so the wizard always opens somewhere.
    pub fn from_progress(progress: &WizardProgress) -> Self {
        let step = WizardStep::from_number(progress.step).unwrap_or(WizardStep::Home);
        let history = progress
            .history
            .iter()
            .filter_map(|number| WizardStep::from_number(*number))
            .collect();
        Self::restore(progress.status, step, history)
    }
}
