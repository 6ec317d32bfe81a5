//! Teams → Technician groups (SPEC §15, admins): groups of the tenant's users, e.g. "Level 1
//! techs".

use gloo_net::http::Request;
use proto::{NewTechnicianGroup, TechnicianGroup, TechnicianGroupChanges};
use uuid::Uuid;

use super::{ApiFailure, call, read, send};

const GROUPS: &str = "/api/v1/technician-groups";

pub async fn list_groups() -> Result<Vec<TechnicianGroup>, ApiFailure> {
    read(call(Request::get(GROUPS).build()).await)
}

pub async fn create_group(name: String) -> Result<TechnicianGroup, ApiFailure> {
    read(
        call(Request::post(GROUPS).json(&NewTechnicianGroup {
            name,
            member_ids: Vec::new(),
        }))
        .await,
    )
}

pub async fn rename_group(id: Uuid, name: String) -> Result<TechnicianGroup, ApiFailure> {
    read(
        call(
            Request::patch(&format!("{GROUPS}/{id}")).json(&TechnicianGroupChanges {
                name: Some(name),
                member_ids: None,
            }),
        )
        .await,
    )
}

pub async fn delete_group(id: Uuid) -> Result<(), ApiFailure> {
    send(Request::delete(&format!("{GROUPS}/{id}")).build())
        .await
        .map(drop)
}

pub async fn add_member(group: Uuid, user: Uuid) -> Result<(), ApiFailure> {
    send(Request::put(&format!("{GROUPS}/{group}/members/{user}")).build())
        .await
        .map(drop)
}

pub async fn remove_member(group: Uuid, user: Uuid) -> Result<(), ApiFailure> {
    send(Request::delete(&format!("{GROUPS}/{group}/members/{user}")).build())
        .await
        .map(drop)
}
