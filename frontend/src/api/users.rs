//! Teams → Users: the tenant's users, invitations and what admins change of a user.

use gloo_net::http::Request;
use proto::{InviteUserRequest, InvitedUser, Page, UpdateUserRequest, User};
use uuid::Uuid;

use super::{ApiFailure, json, searched, send};

/// Rows per page of the Users table.
pub const USERS_PER_PAGE: u64 = 20;

pub async fn list_users(query: &str, page: u64) -> Result<Page<User>, ApiFailure> {
    json(Request::get(&searched("/api/v1/users", query, page, USERS_PER_PAGE)).build()).await
}

pub async fn invite_user(body: &InviteUserRequest) -> Result<InvitedUser, ApiFailure> {
    json(Request::post("/api/v1/users").json(body)).await
}

pub async fn update_user(id: Uuid, body: &UpdateUserRequest) -> Result<User, ApiFailure> {
    json(Request::patch(&format!("/api/v1/users/{id}")).json(body)).await
}

pub async fn delete_user(id: Uuid) -> Result<(), ApiFailure> {
    send(Request::delete(&format!("/api/v1/users/{id}")).build())
        .await
        .map(drop)
}

/// Removes the user's authenticator app and recovery codes (admins).
pub async fn reset_mfa(id: Uuid) -> Result<User, ApiFailure> {
    json(Request::delete(&format!("/api/v1/users/{id}/mfa")).build()).await
}
