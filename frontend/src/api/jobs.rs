//! The durable scheduled jobs and how their last runs went (admins).

use gloo_net::http::Request;
use proto::{Job, Page};

use super::{ApiFailure, call, read};

pub async fn list() -> Result<Page<Job>, ApiFailure> {
    read(call(Request::get("/api/v1/jobs").build()).await)
}
