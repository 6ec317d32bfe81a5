//! Teams → Users: the tenant's users, invitations and what admins change of a user.

use gloo_net::http::Request;
use proto::{InviteUserRequest, InvitedUser, Page, UpdateUserRequest, User};
use uuid::Uuid;

use super::{ApiFailure, call, read, searched, send};

/// Rows per page of the Users table.
pub const USERS_PER_PAGE: u64 = 20;

pub async fn list_users(query: &str, page: u64) -> Result<Page<User>, ApiFailure> {
    read(call(Request::get(&searched("/api/v1/users", query, page, USERS_PER_PAGE)).build()).await)
}

pub async fn invite_user(body: &InviteUserRequest) -> Result<InvitedUser, ApiFailure> {
    read(call(Request::post("/api/v1/users").json(body)).await)
}

pub async fn update_user(id: Uuid, body: &UpdateUserRequest) -> Result<User, ApiFailure> {
    read(call(Request::patch(&format!("/api/v1/users/{id}")).json(body)).await)
}

pub async fn delete_user(id: Uuid) -> Result<(), ApiFailure> {
    send(Request::delete(&format!("/api/v1/users/{id}")).build())
        .await
        .map(drop)
}

/// Removes the user's authenticator app and recovery codes (admins).
pub async fn reset_mfa(id: Uuid) -> Result<User, ApiFailure> {
    read(call(Request::delete(&format!("/api/v1/users/{id}/mfa")).build()).await)
}

/// Pages of the tenant's users read for a list to choose from: 100 a page, so up to 5 000 users.
const DIRECTORY_PAGES: u64 = 50;

/// Every user of the tenant (admins), for choosing among them, e.g. the members of a group.
pub async fn all_users() -> Result<Vec<User>, ApiFailure> {
    const PER_PAGE: u64 = 100;
    let mut users = Vec::new();
    for page in 1..=DIRECTORY_PAGES {
        let found: Page<User> =
            read(call(Request::get(&searched("/api/v1/users", "", page, PER_PAGE)).build()).await)?;
        let last = found.items.len() < PER_PAGE as usize
            || users.len() as u64 + found.items.len() as u64 >= found.total;
        users.extend(found.items);
        if last {
            break;
        }
    }
    Ok(users)
}
