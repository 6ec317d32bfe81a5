//! The sub-tenants the fake lists, which tests and the demo may change while it runs (a customer
//! added or renamed in Azure), through [`FakeGraph::directory`](crate::FakeGraph::directory) or
//! `PUT` and `DELETE /_fake/sub-tenants/{customer_id}`.

use std::sync::RwLock;

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::{SubTenant, server::FakeState};

/// The contracts and GDAP customers, starting as the fixture's.
pub struct Directory {
    contracts: RwLock<Vec<SubTenant>>,
    gdap_customers: RwLock<Vec<SubTenant>>,
}

impl Directory {
    pub(crate) fn new(contracts: Vec<SubTenant>, gdap_customers: Vec<SubTenant>) -> Self {
        Self {
            contracts: RwLock::new(contracts),
            gdap_customers: RwLock::new(gdap_customers),
        }
    }

    pub(crate) fn contracts(&self) -> Vec<SubTenant> {
        self.contracts
            .read()
            .map(|list| list.clone())
            .unwrap_or_default()
    }

    pub(crate) fn gdap_customers(&self) -> Vec<SubTenant> {
        self.gdap_customers
            .read()
            .map(|list| list.clone())
            .unwrap_or_default()
    }

    /// Renames the sub-tenant `customer_id` wherever it is listed, or adds it as a new contract.
    pub fn put_sub_tenant(&self, customer_id: &str, display_name: &str) {
        let mut found = false;
        for list in [&self.contracts, &self.gdap_customers] {
            if let Ok(mut list) = list.write() {
                for sub_tenant in list
                    .iter_mut()
                    .filter(|sub_tenant| sub_tenant.customer_id.eq_ignore_ascii_case(customer_id))
                {
                    sub_tenant.display_name = display_name.to_owned();
                    found = true;
                }
            }
        }
        if !found && let Ok(mut contracts) = self.contracts.write() {
            contracts.push(SubTenant {
                display_name: display_name.to_owned(),
                customer_id: customer_id.to_owned(),
            });
        }
    }

    /// Takes the sub-tenant `customer_id` out of every list, as when a customer leaves.
    pub fn remove_sub_tenant(&self, customer_id: &str) {
        for list in [&self.contracts, &self.gdap_customers] {
            if let Ok(mut list) = list.write() {
                list.retain(|sub_tenant| !sub_tenant.customer_id.eq_ignore_ascii_case(customer_id));
            }
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct PutSubTenant {
    display_name: String,
}

/// The fake's own control endpoint, not Graph's: renames or adds a sub-tenant.
pub(crate) async fn put_sub_tenant(
    state: web::Data<FakeState>,
    customer_id: web::Path<String>,
    body: web::Json<PutSubTenant>,
) -> HttpResponse {
    if body.display_name.trim().is_empty() {
        return HttpResponse::BadRequest().body("display_name is empty");
    }
    state
        .directory
        .put_sub_tenant(&customer_id, body.display_name.trim());
    HttpResponse::NoContent().finish()
}

/// The fake's own control endpoint, not Graph's: takes a sub-tenant away.
pub(crate) async fn delete_sub_tenant(
    state: web::Data<FakeState>,
    customer_id: web::Path<String>,
) -> HttpResponse {
    state.directory.remove_sub_tenant(&customer_id);
    HttpResponse::NoContent().finish()
}
