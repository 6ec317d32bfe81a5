//! What the wizard shows on each step: words, the page it belongs to, the control it points at
//! and the buttons of its panel. Which step follows a button is the machine's business alone.

use domain::{WizardAction, WizardStep};

/// The real controls of the pages that a step points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spotlight {
    MasterGpToggle,
    CreatePolicyButton,
    PolicyNameField,
    CreateGpButton,
    NewPolicySwitch,
    AzureTenantForm,
    MspOnboardingTab,
    CredentialFields,
}

pub struct Screen {
    pub title: &'static str,
    pub text: &'static str,
    pub route: &'static str,
    pub spotlight: Option<Spotlight>,
    pub buttons: &'static [(&'static str, WizardAction)],
}

pub const HOME: &str = "/";
pub const WINDOWS_GP: &str = "/endpoint-settings/windows-gp";
pub const AZURE_LOGIN: &str = "/guide/azure-login";
pub const MSP_ONBOARDING: &str = "/guide/msp-onboarding";

/// Step 9's confirmation, word for word as SPEC §5 has it.
pub const NO_TENANT_ID_CONFIRMATION: &str = "The next steps require a Tenant ID to function correctly. If you do not wish to set it up now, click Finish to complete the onboarding.";

const BACK: (&str, WizardAction) = ("Back", WizardAction::Back);
const NEXT: (&str, WizardAction) = ("Next", WizardAction::Next);

pub fn screen(step: WizardStep) -> Screen {
    use Spotlight as T;
    use WizardStep as S;
    match step {
        S::Home => Screen {
            title: "Welcome to MSP Onboarding",
            text: "This guide sets up a Windows group policy for your customers, connects your Microsoft Entra tenant and shows the customers you can create from it. You can close it at any time and launch it again from the MSP Onboarding tab.",
            route: HOME,
            spotlight: None,
            buttons: &[("Start", WizardAction::Start)],
        },
        S::WindowsGp => Screen {
            title: "Reseller Master GPs Distribution",
            text: "Tick Reseller Master GPs Distribution to give your enabled group policies to the new customers that opt in. The setting is saved at once. Then press Next.",
            route: WINDOWS_GP,
            spotlight: Some(T::MasterGpToggle),
            buttons: &[BACK, NEXT],
        },
        S::CreatePolicyPrompt => Screen {
            title: "Create a group policy",
            text: "Press Create New Policy to create a Windows group policy, or Skip to go on to the Azure login.",
            route: WINDOWS_GP,
            spotlight: Some(T::CreatePolicyButton),
            buttons: &[BACK, ("Skip", WizardAction::Skip)],
        },
        S::PolicyName => Screen {
            title: "Name the policy",
            text: "Enter a Policy Name (1 to 100 characters, different from your other policies' names), then press Next.",
            route: WINDOWS_GP,
            spotlight: Some(T::PolicyNameField),
            buttons: &[BACK, NEXT],
        },
        S::CreatePolicy => Screen {
            title: "Create the policy",
            text: "Press Create GP to create the policy.",
            route: WINDOWS_GP,
            spotlight: Some(T::CreateGpButton),
            buttons: &[BACK],
        },
        S::PolicyCreated => Screen {
            title: "Policy created",
            text: "Your group policy was created. It stays off until you turn it on: press Next to do that.",
            route: WINDOWS_GP,
            spotlight: None,
            buttons: &[BACK, NEXT],
        },
        S::PolicyList => Screen {
            title: "Turn the policy on",
            text: "Turn on the new policy, highlighted in the list. Press Next to go on without turning it on.",
            route: WINDOWS_GP,
            spotlight: Some(T::NewPolicySwitch),
            buttons: &[BACK, NEXT],
        },
        S::PolicyEnabled => Screen {
            title: "Policy turned on",
            text: "The policy is on. Next, connect your Microsoft Entra tenant.",
            route: WINDOWS_GP,
            spotlight: None,
            buttons: &[BACK, NEXT],
        },
        S::AzureLogin => Screen {
            title: "Azure Login",
            text: "Enter your Azure (Entra) Tenant ID and press Update to save it, then press Next.",
            route: AZURE_LOGIN,
            spotlight: Some(T::AzureTenantForm),
            buttons: &[BACK, NEXT],
        },
        S::MspOnboardingTab => Screen {
            title: "The MSP Onboarding tab",
            text: "Your tenant ID is saved, so the MSP Onboarding tab is now available. Click it to go on.",
            route: AZURE_LOGIN,
            spotlight: Some(T::MspOnboardingTab),
            buttons: &[BACK],
        },
        S::Credentials => Screen {
            title: "Client ID and Secret Value",
            text: "Enter the Client ID and the Secret Value of your Entra app registration. They are used for this page only and never stored. Then press Next.",
            route: MSP_ONBOARDING,
            spotlight: Some(T::CredentialFields),
            buttons: &[BACK, NEXT],
        },
        S::CustomerList => Screen {
            title: "Customer list",
            text: "The Client ID and Secret Value are never stored: enter them again and press See customer list, then Done.",
            route: MSP_ONBOARDING,
            spotlight: Some(T::CredentialFields),
            buttons: &[BACK, ("Done", WizardAction::Done)],
        },
    }
}
