//! `/_fake`: the switches and the call log over HTTP, for the browser tests, which drive the
//! fake from another process. Never delayed nor cut by the switches themselves.

use actix_web::{HttpResponse, web};

use crate::server::FakeState;
use crate::switches::SwitchChanges;

/// `GET /_fake/switches`: `{"deny":…,"latency_ms":…,"unreachable":…,"wrong_signature":…}`.
pub(crate) async fn read_switches(state: web::Data<FakeState>) -> HttpResponse {
    HttpResponse::Ok().json(state.switches.settings())
}

/// `POST /_fake/switches` with any of those fields: sets them and answers every switch.
pub(crate) async fn change_switches(
    state: web::Data<FakeState>,
    changes: web::Json<SwitchChanges>,
) -> HttpResponse {
    state.switches.change(&changes);
    HttpResponse::Ok().json(state.switches.settings())
}

/// `GET /_fake/calls`: every Duo request so far, in order, as
/// `[{"endpoint":…,"client_id":…,"outcome":{"kind":"refused","error":"invalid_client"}},…]`.
pub(crate) async fn calls(state: web::Data<FakeState>) -> HttpResponse {
    HttpResponse::Ok().json(state.calls.all())
}
