//! `POST /oauth/v1/health_check`: is Duo up, and does it know this application?
//!
//! A refusal is answered with HTTP **200** and `"stat": "FAIL"`, not with a 4xx: that is the
//! answer every one of Duo's clients is written for. The Java client parses the body only of a
//! 2xx (Retrofit) and then throws `DuoException(message)`, which is exactly what users of it
//! report meeting for a wrong secret (`DuoException: invalid_client`); the Go client turns any
//! non-200 into its bare status line but its tests expect `"invalid_client: The provided
//! client_assertion was invalid"` from a FAIL body; the Python client raises on any `stat` but
//! `OK`. The body is Duo's: `code` 40002, `message` `invalid_client` and a `message_detail`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use crate::assertion::{self, Refusal};
use crate::calls::CallOutcome;
use crate::params::{Params, addressed_host, unix_now};
use crate::server::FakeState;

pub(crate) const ENDPOINT: &str = "health_check";

pub(crate) async fn health_check(
    state: web::Data<FakeState>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let params = Params::of(&request, &body);
    let client_id = params.get("client_id").unwrap_or_default();
    let Some(client_assertion) = params.get("client_assertion") else {
        state.calls.record(
            ENDPOINT,
            client_id,
            CallOutcome::Refused("invalid_request".to_owned()),
        );
        return fail(
            "invalid_request",
            "Missing required parameter: client_assertion",
        );
    };
    let audience = format!(
        "https://{}/oauth/v1/health_check",
        addressed_host(&request, &state)
    );
    match assertion::verify(
        &state.fixture,
        &state.seen_assertions,
        client_id,
        client_assertion,
        &audience,
    ) {
        Ok(_) => {
            state
                .calls
                .record(ENDPOINT, client_id, CallOutcome::Answered);
            HttpResponse::Ok().json(json!({
                "stat": "OK",
                "response": {"timestamp": unix_now()},
            }))
        }
        Err(Refusal(detail)) => {
            state.calls.record(
                ENDPOINT,
                client_id,
                CallOutcome::Refused("invalid_client".to_owned()),
            );
            fail("invalid_client", &detail)
        }
    }
}

fn fail(message: &str, detail: &str) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "stat": "FAIL",
        "code": 40002,
        "timestamp": unix_now(),
        "message": message,
        "message_detail": detail,
    }))
}
