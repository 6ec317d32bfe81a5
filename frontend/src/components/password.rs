//! Choosing a new password, typed twice, under the policy the API enforces (`NewPassword`).

use domain::NewPassword;
use leptos::prelude::*;

use crate::{api::sentence, components::aria_invalid};

/// What is wrong with a chosen password and its repetition; `None` when both are fine.
pub fn new_password_problem(password: &str, repeated: &str) -> Option<String> {
    if let Err(problem) = NewPassword::parse(password) {
        return Some(sentence(&problem.to_string()));
    }
    (password != repeated).then(|| "The two passwords differ.".to_owned())
}

/// The two typed passwords; their problem shows once the user tried to submit them.
#[derive(Clone, Copy)]
pub struct PasswordChoice {
    password: RwSignal<String>,
    repeated: RwSignal<String>,
    submitted: RwSignal<bool>,
}

impl Default for PasswordChoice {
    fn default() -> Self {
        Self {
            password: RwSignal::new(String::new()),
            repeated: RwSignal::new(String::new()),
            submitted: RwSignal::new(false),
        }
    }
}

impl PasswordChoice {
    pub fn problem(&self) -> Option<String> {
        let Self {
            password,
            repeated,
            submitted,
        } = *self;
        submitted
            .get()
            .then(|| {
                password.with(|first| repeated.with(|second| new_password_problem(first, second)))
            })
            .flatten()
    }

    /// On submit: the chosen password when it follows the policy; otherwise its problem shows.
    pub fn chosen(&self) -> Option<String> {
        self.submitted.set(true);
        self.password.with_untracked(|first| {
            self.repeated.with_untracked(|second| {
                new_password_problem(first, second)
                    .is_none()
                    .then(|| first.clone())
            })
        })
    }

    /// Empties both fields after the password was taken.
    pub fn clear(&self) {
        self.password.set(String::new());
        self.repeated.set(String::new());
        self.submitted.set(false);
    }
}

/// The two fields, with the policy and the problem under them.
#[component]
pub fn NewPasswordFields(
    /// Prefix of the inputs' ids, unique on the page.
    id: &'static str,
    choice: PasswordChoice,
) -> impl IntoView {
    let (first, second, help, shown) = (
        format!("{id}-new"),
        format!("{id}-repeat"),
        format!("{id}-policy"),
        format!("{id}-problem"),
    );
    let described_by = format!("{help} {shown}");
    let invalid = move || aria_invalid(choice.problem().is_some());
    let (password, repeated) = (choice.password, choice.repeated);
    view! {
        <label for=first.clone()>"New password"</label>
        <input id=first type="password" autocomplete="new-password" required
            aria-describedby=described_by.clone() aria-invalid=invalid bind:value=password/>
        <p id=help class="help">{format!(
            "{} to {} characters. A few unrelated words make a password that is long and easy to remember.",
            NewPassword::MIN_CHARS, NewPassword::MAX_CHARS
        )}</p>
        <label for=second.clone()>"Repeat the new password"</label>
        <input id=second type="password" autocomplete="new-password" required
            aria-describedby=described_by aria-invalid=invalid bind:value=repeated/>
        <p id=shown class="field-problem" aria-live="polite">{move || choice.problem()}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_follows_the_policy_and_is_typed_twice_alike() {
        assert!(new_password_problem("short", "short").is_some_and(|p| p.contains("12")));
        assert_eq!(
            new_password_problem("long-enough-password", "long-enough-pasword"),
            Some("The two passwords differ.".to_owned())
        );
        assert_eq!(
            new_password_problem("long-enough-password", "long-enough-password"),
            None
        );
    }
}
