//! Typed calls to the REST API, reusing the server's wire types. Every call goes through
//! `send`, and every failure is one `ApiFailure` that tells the server's refusal from an answer
//! that could not be read and from no answer at all.

pub mod account;
pub mod customer_entra;
pub mod customer_tenants;
pub mod customers;
mod decode;
pub mod duo;
pub mod groups;
pub mod jit_accounts;
pub mod jobs;
pub mod security_integrations;
pub mod sso;
pub mod tokens;
pub mod user_source;
pub mod users;

use gloo_net::http::{Request, Response};
use proto::{
    AzureLogin, CreateGroupPolicy, FieldError, GroupPolicy, NewSubTenantsSetting, Page, Problem,
    UpdateGroupPolicy, WindowsGpSettings, WizardProgress,
};
use serde::de::DeserializeOwned;

/// Why a call failed, in words for the person at the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The server could not be reached at all.
    Network,
    /// The server refused with a problem+json body.
    Problem {
        status: u16,
        problem: Problem,
        /// Seconds the server asked us to wait (`Retry-After`), e.g. while Microsoft Graph
        /// throttles it.
        retry_after: Option<u32>,
    },
    /// The server answered, but not in a form this app can read: an error without a problem
    /// body, or a success whose JSON is not the expected type.
    Unreadable {
        status: u16,
        retry_after: Option<u32>,
    },
}

/// A problem+json refusal as the server writes it, for the tests of what each page makes of one.
#[cfg(test)]
impl ApiFailure {
    pub fn refused(status: u16, code: &str, detail: Option<&str>, errors: &[(&str, &str)]) -> Self {
        Self::Problem {
            status,
            problem: Problem {
                problem_type: "about:blank".to_owned(),
                title: "Refused".to_owned(),
                status,
                detail: detail.map(str::to_owned),
                code: code.to_owned(),
                errors: errors
                    .iter()
                    .map(|(field, message)| FieldError::new(field, code, *message))
                    .collect(),
            },
            retry_after: None,
        }
    }
}

impl ApiFailure {
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Network => None,
            Self::Problem { status, .. } | Self::Unreadable { status, .. } => Some(*status),
        }
    }

    fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Problem { problem, .. } => Some(problem),
            Self::Network | Self::Unreadable { .. } => None,
        }
    }

    /// The stable problem code, e.g. `name_exists`.
    pub fn code(&self) -> Option<&str> {
        self.problem().map(|problem| problem.code.as_str())
    }

    pub fn field_errors(&self) -> &[FieldError] {
        self.problem().map_or(&[], |problem| &problem.errors)
    }

    /// The server's complaint about one request field, for showing next to that field. A
    /// conflict (409) is always about the field the caller names, e.g. a taken name.
    pub fn field_message(&self, field: &str) -> Option<String> {
        let problem = self.problem()?;
        problem
            .errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| sentence(&error.message))
            .or_else(|| (self.status() == Some(409)).then(|| self.message()))
    }

    /// The server's complaints about `fields`, each as a sentence, by field name, for forms that
    /// show every field's problem at once.
    pub fn field_problems(&self, fields: &[&'static str]) -> Vec<(&'static str, String)> {
        fields
            .iter()
            .filter_map(|field| {
                self.field_errors()
                    .iter()
                    .find(|error| error.field == *field)
                    .map(|error| (*field, sentence(&error.message)))
            })
            .collect()
    }

    /// Whether the request may have been carried out even though it failed, so a retry must
    /// repeat its `Idempotency-Key`: only a 4xx answer says for sure that nothing was done.
    pub fn outcome_unknown(&self) -> bool {
        self.status()
            .is_none_or(|status| !(400..500).contains(&status))
    }

    pub fn message(&self) -> String {
        match self {
            Self::Network => {
                "The server cannot be reached. Check your connection and try again.".to_owned()
            }
            Self::Problem { problem, .. } => problem
                .detail
                .as_deref()
                .map(sentence)
                .unwrap_or_else(|| problem.title.clone()),
            Self::Unreadable {
                status,
                retry_after: Some(seconds),
            } if *status >= 400 => {
                format!("The server is busy ({status}). Try again in {seconds} seconds.")
            }
            Self::Unreadable { status, .. } if *status >= 400 => {
                format!("The server answered with an error ({status}).")
            }
            Self::Unreadable { .. } => {
                "The server's answer could not be read. Try again, and reload the page if it \
                 keeps happening."
                    .to_owned()
            }
        }
    }
}

/// `text` as a sentence: capitalised, ending with a full stop. The messages are the API's own,
/// in English, so ASCII capitalisation is enough; `char::to_uppercase` would bring Unicode's
/// whole upper-case table (about 12 KiB) into the web app.
pub fn sentence(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut sentence = text.to_owned();
    if let Some(first) = sentence.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    if !text.ends_with('.') {
        sentence.push('.');
    }
    sentence
}

/// `text` as one URL component (query value, path segment, data URL body).
pub fn encoded(text: &str) -> String {
    String::from(leptos::web_sys::js_sys::encode_uri_component(text))
}

/// A listing's URL for one page, with the search text when there is one.
fn searched(path: &str, query: &str, page: u64, per_page: u64) -> String {
    let mut url = format!("{path}?page={page}&per_page={per_page}");
    let query = query.trim();
    if !query.is_empty() {
        url.push_str("&q=");
        url.push_str(&encoded(query));
    }
    url
}

fn retry_after(response: &Response) -> Option<u32> {
    response
        .headers()
        .get("retry-after")
        .and_then(|value| value.trim().parse().ok())
}

/// Sends a request: a 2xx answer is returned for the caller to read, any other becomes the
/// failure its body describes. A 401 also tells the session that the server ended it, so a
/// signed-in user goes to the sign-in page whichever call found out.
async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiFailure> {
    let response = request
        .map_err(|_| ApiFailure::Network)?
        .send()
        .await
        .map_err(|_| ApiFailure::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let (status, retry_after) = (response.status(), retry_after(&response));
    let problem = response
        .text()
        .await
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .and_then(|value| decode::from_value::<Problem>(value).ok());
    if status == 401 {
        crate::session::ended_by_server();
    }
    Err(match problem {
        Some(problem) => ApiFailure::Problem {
            status,
            problem,
            retry_after,
        },
        None => ApiFailure::Unreadable {
            status,
            retry_after,
        },
    })
}

/// A successful answer read as `T`. Only this step is generic: the request and its future exist
/// once in the web app (`call`), not once per answer type.
// The failure carries the problem by value: boxing it would add an allocation and code to every
// caller in the wasm build for an error path that is read once and shown.
#[allow(clippy::result_large_err)]
fn read<T: DeserializeOwned>(
    answer: Result<(u16, serde_json::Value), ApiFailure>,
) -> Result<T, ApiFailure> {
    let (status, value) = answer?;
    decode::from_value(value).map_err(|_| ApiFailure::Unreadable {
        status,
        retry_after: None,
    })
}

/// Sends a request; a successful answer's status and its body as parsed JSON.
async fn call(
    request: Result<Request, gloo_net::Error>,
) -> Result<(u16, serde_json::Value), ApiFailure> {
    let response = send(request).await?;
    let status = response.status();
    response
        .text()
        .await
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .map(|value| (status, value))
        .ok_or(ApiFailure::Unreadable {
            status,
            retry_after: None,
        })
}

pub async fn windows_gp_settings() -> Result<WindowsGpSettings, ApiFailure> {
    read(call(Request::get("/api/v1/endpoint-settings/windows-gp").build()).await)
}

pub async fn save_windows_gp_settings(
    settings: WindowsGpSettings,
) -> Result<WindowsGpSettings, ApiFailure> {
    read(call(Request::put("/api/v1/endpoint-settings/windows-gp").json(&settings)).await)
}

pub async fn list_group_policies() -> Result<Page<GroupPolicy>, ApiFailure> {
    read(call(Request::get("/api/v1/group-policies?per_page=100").build()).await)
}

pub async fn create_group_policy(name: String) -> Result<GroupPolicy, ApiFailure> {
    read(
        call(
            Request::post("/api/v1/group-policies").json(&CreateGroupPolicy {
                name,
                enabled: false,
            }),
        )
        .await,
    )
}

pub async fn set_group_policy_enabled(
    id: uuid::Uuid,
    enabled: bool,
) -> Result<GroupPolicy, ApiFailure> {
    read(
        call(
            Request::patch(&format!("/api/v1/group-policies/{id}")).json(&UpdateGroupPolicy {
                name: None,
                enabled: Some(enabled),
            }),
        )
        .await,
    )
}

pub async fn azure_login() -> Result<AzureLogin, ApiFailure> {
    read(call(Request::get("/api/v1/settings/azure-login").build()).await)
}

pub async fn save_azure_login(tenant_id: Option<String>) -> Result<AzureLogin, ApiFailure> {
    read(call(Request::put("/api/v1/settings/azure-login").json(&AzureLogin { tenant_id })).await)
}

/// Whether the Azure customers grid marks new and renamed sub-tenants (a reseller setting).
pub async fn new_sub_tenants_setting() -> Result<NewSubTenantsSetting, ApiFailure> {
    read(call(Request::get("/api/v1/settings/new-sub-tenants").build()).await)
}

pub async fn save_new_sub_tenants_setting(
    setting: NewSubTenantsSetting,
) -> Result<NewSubTenantsSetting, ApiFailure> {
    read(call(Request::put("/api/v1/settings/new-sub-tenants").json(&setting)).await)
}

pub async fn save_wizard_progress(progress: WizardProgress) -> Result<WizardProgress, ApiFailure> {
    read(call(Request::put("/api/v1/onboarding-wizard").json(&progress)).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(status: u16, detail: Option<&str>, errors: &[(&str, &str)]) -> ApiFailure {
        ApiFailure::refused(status, "refused", detail, errors)
    }

    fn unreadable(status: u16, retry_after: Option<u32>) -> ApiFailure {
        ApiFailure::Unreadable {
            status,
            retry_after,
        }
    }

    #[test]
    fn each_failure_is_told_apart_in_words() {
        let cases = [
            (ApiFailure::Network, "The server cannot be reached"),
            (refusal(422, Some("name is taken"), &[]), "Name is taken."),
            (refusal(500, None, &[]), "Refused"),
            (
                unreadable(502, None),
                "The server answered with an error (502).",
            ),
            (unreadable(503, Some(30)), "Try again in 30 seconds."),
            (
                unreadable(200, None),
                "The server's answer could not be read.",
            ),
        ];
        for (failure, words) in cases {
            assert!(
                failure.message().contains(words),
                "{failure:?}: {}",
                failure.message()
            );
        }
    }

    #[test]
    fn only_a_4xx_answer_says_the_request_was_not_carried_out() {
        let cases = [
            (ApiFailure::Network, true),
            (refusal(409, None, &[]), false),
            (refusal(422, None, &[]), false),
            (refusal(503, None, &[]), true),
            (unreadable(400, None), false),
            (unreadable(502, None), true),
            (unreadable(201, None), true),
        ];
        for (failure, unknown) in cases {
            assert_eq!(failure.outcome_unknown(), unknown, "{failure:?}");
        }
    }

    #[test]
    fn a_field_gets_its_own_complaint_or_a_conflicts_detail() {
        let invalid = refusal(422, None, &[("name", "too long")]);
        assert_eq!(invalid.field_message("name"), Some("Too long.".to_owned()));
        assert_eq!(invalid.field_message("email"), None);
        let conflict = refusal(409, Some("name exists"), &[]);
        assert_eq!(
            conflict.field_message("name"),
            Some("Name exists.".to_owned())
        );
        assert_eq!(unreadable(409, None).field_message("name"), None);
    }
}
