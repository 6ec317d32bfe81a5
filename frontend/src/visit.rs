//! Going into a customer tenant and back (SPEC §15). The server swaps the session cookie; the
//! app then reads who is signed in again and shows the page the move leads to.

use leptos::prelude::window;
use leptos_router::NavigateOptions;
use proto::Me;
use uuid::Uuid;

use crate::{
    api::{ApiFailure, account, customer_tenants as api},
    pages::customers::{CUSTOMERS, sees_customers},
    session::Session,
};

/// Moves to `path`, then records who is signed in now: the page left behind is not rebuilt for
/// the other tenant. The move replaces the history entry, so Back does not lead to a page of the
/// tenant just left.
fn arrive(session: Session, navigate: impl Fn(&str, NavigateOptions), path: &str, me: Option<Me>) {
    navigate(
        path,
        NavigateOptions {
            replace: true,
            ..NavigateOptions::default()
        },
    );
    session.set(me);
}

/// Shows the page `path` names for whoever is signed in now that the cookie changed. Should the
/// app fail to read that, the whole app starts again at the home page, since what it holds is of
/// the other tenant.
async fn settle(
    session: Session,
    navigate: impl Fn(&str, NavigateOptions),
    path: impl FnOnce(&Me) -> &'static str,
) {
    match account::me().await {
        Ok(me) => arrive(session, navigate, path(&me), Some(me)),
        Err(_) => {
            let _ = window().location().assign("/");
        }
    }
}

/// Opens the customer tenant and shows its home page; when the server refuses, nothing changed.
/// `navigate` is `use_navigate()`'s, taken while the calling component was built.
pub async fn open(
    session: Session,
    navigate: impl Fn(&str, NavigateOptions),
    customer_id: Uuid,
) -> Result<(), ApiFailure> {
    api::open_customer_tenant(customer_id).await?;
    settle(session, navigate, |_| "/").await;
    Ok(())
}

/// Goes back to the MSP and shows its Customers page (the home page to those who do not see it);
/// when the MSP session has ended, the sign-in page.
pub async fn leave(
    session: Session,
    navigate: impl Fn(&str, NavigateOptions),
) -> Result<(), ApiFailure> {
    match api::leave_customer_tenant().await {
        Ok(_) => {}
        Err(failure) if failure.status() == Some(401) => {
            arrive(session, navigate, "/", None);
            return Ok(());
        }
        // Already back (e.g. from another browser tab): only this page did not know yet.
        Err(failure) if failure.code() == Some("not_in_customer_tenant") => {}
        Err(failure) => return Err(failure),
    }
    settle(session, navigate, |me| {
        if sees_customers(me) { CUSTOMERS } else { "/" }
    })
    .await;
    Ok(())
}
