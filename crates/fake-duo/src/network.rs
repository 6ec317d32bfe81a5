//! The `latency_ms` and `unreachable` switches, applied in front of every Duo endpoint
//! (everything under `/oauth/v1`) and nowhere else, so `/_fake/switches` stays reachable.
//!
//! "Unreachable" must look like an outage to the client: a transport error, never an HTTP
//! status. An answer always starts with a status line (HTTP/1.1) or a HEADERS frame (HTTP/2,
//! which reqwest negotiates and actix-web always offers), so the fake instead shuts the TCP
//! connection down under the request. For that it keeps, per connection, a duplicate of the
//! socket's descriptor (taken in `on_connect`, closed with the connection).

use std::any::Any;
use std::net::Shutdown;
use std::os::fd::AsFd;

use actix_tls::accept::rustls_0_23::TlsStream;
use actix_web::{
    Error, HttpResponse,
    body::BoxBody,
    dev::{Extensions, ServiceRequest, ServiceResponse},
    rt::net::TcpStream,
    web,
};
use futures_util::future::LocalBoxFuture;

use crate::calls::CallOutcome;
use crate::server::FakeState;
use crate::{authorize, health, token};

/// The socket of the connection a request came on.
struct ConnectionSocket(std::net::TcpStream);

/// `HttpServer::on_connect`: keeps a handle on the connection's socket for [`cut`].
pub(crate) fn remember_socket(connection: &dyn Any, data: &mut Extensions) {
    if let Some(tls) = connection.downcast_ref::<TlsStream<TcpStream>>() {
        let (tcp, _) = tls.get_ref();
        if let Ok(duplicate) = tcp.as_fd().try_clone_to_owned() {
            data.insert(ConnectionSocket(std::net::TcpStream::from(duplicate)));
        }
    }
}

/// Middleware of the `/oauth/v1` scope: waits the latency, then answers, or cuts. Whether to
/// cut is decided when the request arrives.
pub(crate) fn slow_or_cut<S>(
    request: ServiceRequest,
    service: &S,
) -> LocalBoxFuture<'static, Result<ServiceResponse<BoxBody>, Error>>
where
    S: actix_web::dev::Service<ServiceRequest, Response = ServiceResponse, Error = Error>,
    S::Future: 'static,
{
    let Some(state) = request.app_data::<web::Data<FakeState>>().cloned() else {
        let answer = service.call(request);
        return Box::pin(async move { answer.await.map(ServiceResponse::map_into_boxed_body) });
    };
    let latency = state.switches.latency();
    if !state.switches.unreachable() {
        let answer = service.call(request);
        return Box::pin(async move {
            tokio::time::sleep(latency).await;
            answer.await.map(ServiceResponse::map_into_boxed_body)
        });
    }
    Box::pin(async move {
        tokio::time::sleep(latency).await;
        let client_id = url::form_urlencoded::parse(request.query_string().as_bytes())
            .find(|(name, _)| name == "client_id")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        state
            .calls
            .record(endpoint_of(request.path()), &client_id, CallOutcome::Cut);
        let answer = cut(&request);
        Ok(request.into_response(answer).map_into_boxed_body())
    })
}

/// Shuts the request's connection down; the answer returned is never delivered.
fn cut(request: &ServiceRequest) -> HttpResponse {
    if let Some(ConnectionSocket(socket)) = request.conn_data::<ConnectionSocket>() {
        let _ = socket.shutdown(Shutdown::Both);
    }
    // Should the socket be unknown: a body that fails before its first byte makes actix drop an
    // HTTP/1.1 connection without flushing the status line it had buffered.
    let failing = futures_util::stream::once(async {
        Err::<web::Bytes, _>(std::io::Error::other("the fake Duo is unreachable"))
    });
    HttpResponse::Ok().streaming(failing)
}

fn endpoint_of(path: &str) -> &'static str {
    match path {
        "/oauth/v1/health_check" => health::ENDPOINT,
        "/oauth/v1/authorize" => authorize::ENDPOINT,
        authorize::DECISION_PATH => authorize::DECISION_ENDPOINT,
        "/oauth/v1/token" => token::ENDPOINT,
        _ => "other",
    }
}
