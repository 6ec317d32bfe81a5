//! One Graph request of any method with bounded patience: throttling (429, 503) waited out as
//! `Retry-After` says, a connection cut before or during the answer tried again, and the answer
//! read whole, so that a caller sees Graph's complete JSON or Graph's own error.

use std::time::Duration;

use reqwest::{Method, StatusCode, header};
use serde::{Deserialize, de::DeserializeOwned};
use url::Url;

use crate::{GraphClient, GraphError, GraphSettings, token::AccessToken};

/// What Graph answered, 2xx or 4xx (but 401 and 429), once throttling and cuts were waited out.
pub(crate) struct Answer {
    pub status: StatusCode,
    body: Vec<u8>,
    /// An earlier try of this request may have reached Graph but its answer was lost: a create
    /// may already have happened.
    pub after_lost_answer: bool,
}

impl Answer {
    /// The body as `T`; `what` names it in the error.
    pub fn json<T: DeserializeOwned>(&self, what: &str) -> Result<T, GraphError> {
        serde_json::from_slice(&self.body)
            .map_err(|_| GraphError::UnexpectedAnswer(format!("{what} that is not Graph's JSON")))
    }

    /// Graph's error body; empty fields when the body is not one.
    pub fn refusal(&self) -> Refusal {
        serde_json::from_slice::<ErrorBody>(&self.body)
            .map(|body| body.error)
            .unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Refusal,
}

/// Graph's `error` object: its `message`, and for directory writes the codes of its `details`
/// (such as `ObjectConflict`). Its own `code` (`Request_BadRequest`) tells refusals apart less
/// than the message does.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Refusal {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub details: Vec<RefusalDetail>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RefusalDetail {
    #[serde(default)]
    pub code: String,
}

impl Refusal {
    pub fn has_detail(&self, code: &str) -> bool {
        self.details
            .iter()
            .any(|detail| detail.code.eq_ignore_ascii_case(code))
    }

    /// Graph's 404 names the missing object: `Resource '{id}' does not exist…`.
    pub fn names(&self, id: &str) -> bool {
        let message = self.message.to_ascii_lowercase();
        message.contains(&format!("'{}'", id.to_ascii_lowercase()))
    }
}

impl GraphClient {
    /// Sends `method url` with the token (and `body` as JSON), retrying what Graph asks to be
    /// retried within `patience`. A timeout or a refused connection ends at once: the first
    /// may have reached Graph, the second will not get better within a few seconds.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &Url,
        token: &AccessToken,
        body: Option<&serde_json::Value>,
        patience: &mut Patience,
    ) -> Result<Answer, GraphError> {
        let mut retries = 0u32;
        let mut after_lost_answer = false;
        loop {
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .header(header::AUTHORIZATION, token.bearer())
                .header(header::ACCEPT, "application/json");
            if let Some(body) = body {
                request = request.json(body);
            }
            let (wait, failure) = match request.send().await {
                Err(error) => {
                    tracing::warn!(error = %error, "Microsoft Graph request failed");
                    let failure = transport_failure(&error);
                    if failure == GraphError::TimedOut || error.is_connect() {
                        return Err(failure);
                    }
                    after_lost_answer = true;
                    (self.settings.backoff(retries), failure)
                }
                Ok(response) => match response.status() {
                    StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                        let wait = retry_after(response.headers())
                            .unwrap_or_else(|| self.settings.backoff(retries));
                        (wait, GraphError::Throttled { retry_after: wait })
                    }
                    status => match read_whole(response).await {
                        Ok(body) => {
                            return accept(Answer {
                                status,
                                body,
                                after_lost_answer,
                            });
                        }
                        Err(failure) => {
                            after_lost_answer = true;
                            (self.settings.backoff(retries), failure)
                        }
                    },
                },
            };
            retries += 1;
            if !patience.allows(retries, wait) {
                return Err(failure);
            }
            tokio::time::sleep(wait).await;
        }
    }
}

/// The body, or the failure of a connection cut mid-answer. A success whose JSON ends early is
/// a cut connection too, not a Graph that speaks nonsense.
async fn read_whole(response: reqwest::Response) -> Result<Vec<u8>, GraphError> {
    let success = response.status().is_success();
    let body = response.bytes().await.map_err(|error| {
        tracing::warn!(error = %error, "Microsoft Graph answer was cut off");
        transport_failure(&error)
    })?;
    if success
        && !body.is_empty()
        && serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err_and(|error| error.is_eof())
    {
        tracing::warn!("Microsoft Graph answer ended mid-document");
        return Err(GraphError::Unreachable);
    }
    Ok(body.to_vec())
}

/// Answers no caller can act upon become errors here.
fn accept(answer: Answer) -> Result<Answer, GraphError> {
    match answer.status {
        StatusCode::UNAUTHORIZED => Err(GraphError::UnexpectedAnswer(
            "Graph refused the access token Entra issued".to_owned(),
        )),
        status if status.is_success() || status.is_client_error() => Ok(answer),
        status => Err(unexpected_status(status)),
    }
}

pub(crate) fn unexpected_status(status: StatusCode) -> GraphError {
    GraphError::UnexpectedAnswer(format!("HTTP {} from Microsoft Graph", status.as_u16()))
}

/// The bounds on retrying: tries per request and total waiting per operation.
pub(crate) struct Patience {
    max_attempts: u32,
    max_total_wait: Duration,
    waited: Duration,
}

impl Patience {
    pub(crate) fn new(settings: &GraphSettings) -> Self {
        Self {
            max_attempts: settings.max_attempts.max(1),
            max_total_wait: settings.max_total_wait,
            waited: Duration::ZERO,
        }
    }

    /// Whether retry number `retries` (1 for the first) may happen after waiting `wait`.
    fn allows(&mut self, retries: u32, wait: Duration) -> bool {
        let total = self.waited.saturating_add(wait);
        if retries >= self.max_attempts || total > self.max_total_wait {
            return false;
        }
        self.waited = total;
        true
    }
}

/// `Retry-After` in seconds; Graph does not send the HTTP-date form.
fn retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    headers
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

pub(crate) fn transport_failure(error: &reqwest::Error) -> GraphError {
    if error.is_timeout() {
        GraphError::TimedOut
    } else {
        GraphError::Unreachable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> GraphSettings {
        let mut settings = GraphSettings::public_cloud().unwrap();
        settings.max_attempts = 3;
        settings.max_total_wait = Duration::from_secs(5);
        settings
    }

    #[test]
    fn patience_ends_after_the_last_attempt() {
        let mut patience = Patience::new(&settings());
        assert!(patience.allows(1, Duration::from_secs(1)));
        assert!(patience.allows(2, Duration::from_secs(1)));
        assert!(!patience.allows(3, Duration::from_secs(1)));
    }

    #[test]
    fn patience_ends_when_the_total_wait_would_pass_its_limit() {
        let mut patience = Patience::new(&settings());
        assert!(patience.allows(1, Duration::from_secs(4)));
        assert!(!patience.allows(2, Duration::from_secs(2)));
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let mut headers = header::HeaderMap::new();
        headers.insert(header::RETRY_AFTER, header::HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            header::RETRY_AFTER,
            header::HeaderValue::from_static("soon"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            body: body.as_bytes().to_vec(),
            after_lost_answer: false,
        }
    }

    #[test]
    fn a_refusal_reads_graphs_code_message_and_details() {
        let refusal = answer(
            400,
            r#"{"error":{"code":"Request_BadRequest","message":"Another object…",
                "details":[{"code":"ObjectConflict","target":"userPrincipalName"}]}}"#,
        )
        .refusal();
        assert_eq!(refusal.message, "Another object…");
        assert!(refusal.has_detail("objectconflict"));
        assert!(!refusal.has_detail("InvalidValue"));
        assert!(answer(400, "not json").refusal().message.is_empty());
    }

    #[test]
    fn a_not_found_names_its_object_in_any_case() {
        let refusal = answer(
            404,
            r#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'AB-12' does not exist or one of its queried reference-property objects are not present."}}"#,
        )
        .refusal();
        assert!(refusal.names("ab-12"));
        assert!(!refusal.names("ab-1"));
    }

    #[test]
    fn only_answers_a_caller_acts_upon_are_passed_on() {
        assert!(accept(answer(204, "")).is_ok());
        assert!(accept(answer(404, "{}")).is_ok());
        assert!(matches!(
            accept(answer(401, "{}")),
            Err(GraphError::UnexpectedAnswer(_))
        ));
        assert_eq!(
            accept(answer(500, "{}")).err(),
            Some(GraphError::UnexpectedAnswer(
                "HTTP 500 from Microsoft Graph".to_owned()
            ))
        );
    }
}
