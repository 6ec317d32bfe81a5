//! Teams → Users (SPEC §12): every user of the tenant for admins, who invite, edit, deactivate,
//! reset MFA, make tokens for integration accounts and delete; a technician sees only its own
//! row (the API lists no one else to it).

mod edit;
mod invite;
mod rights;
mod table;

use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;
use proto::{Page, Role, UpdateUserRequest, User};

use self::{
    edit::EditDialog,
    invite::InviteDialog,
    table::{RowAction, header, user_row},
};
use crate::{
    api::{
        ApiFailure,
        users::{self as api, USERS_PER_PAGE},
    },
    components::{
        api_tokens::NewTokenForm, confirm::ConfirmDialog, dialog::ModalDialog, pager::Pager,
        search::SearchBox,
    },
    pages::user_source::USER_SOURCE,
    session::use_session,
};

pub const USERS: &str = "/teams/users";

/// The dialog open over the table, if any.
#[derive(Clone)]
enum Dialog {
    Invite,
    Edit(User),
    Delete(User),
    ResetMfa(User),
    Token(User),
}

/// Tells the outcome of an action above the table and lists the users again.
#[derive(Clone, Copy)]
struct Reporter {
    message: RwSignal<Option<Result<String, String>>>,
    refresh: RwSignal<u32>,
}

impl Reporter {
    fn report(self, outcome: Result<String, String>) {
        self.message.set(Some(outcome));
        self.refresh.update(|count| *count += 1);
    }

    /// Runs a call and reports `done` or the server's refusal.
    fn after<T>(
        self,
        call: impl Future<Output = Result<T, crate::api::ApiFailure>> + 'static,
        done: String,
    ) {
        spawn_local(async move {
            self.report(
                call.await
                    .map(|_| done)
                    .map_err(|failure| failure.message()),
            );
        });
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let admin_id = use_session()
        .signed_in()
        .filter(|me| me.role == Role::Admin)
        .map(|me| me.user.id);
    let admin = admin_id.is_some();
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(1_u64);
    let result = RwSignal::new(None::<Result<Page<User>, String>>);
    let reporter = Reporter {
        message: RwSignal::new(None),
        refresh: RwSignal::new(0),
    };
    let dialog = RwSignal::new(None::<Dialog>);
    // Answers to superseded searches are dropped, so a slow old answer cannot overwrite a new one.
    let latest = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let (query, page) = (query.get(), page.get());
        reporter.refresh.track();
        latest.update_value(|request| *request += 1);
        let this_request = latest.get_value();
        spawn_local(async move {
            let answer = api::list_users(&query, page)
                .await
                .map_err(|failure| failure.message());
            if latest.try_get_value() == Some(this_request) {
                result.set(Some(answer));
            }
        });
    });

    let close = Callback::new(move |()| dialog.set(None));
    let set_active = move |user: User, active: bool| {
        let change = UpdateUserRequest {
            active: Some(active),
            ..UpdateUserRequest::default()
        };
        let done = format!(
            "{} was {}.",
            user.email,
            if active { "reactivated" } else { "deactivated" }
        );
        reporter.after(
            async move { api::update_user(user.id, &change).await },
            done,
        );
    };
    let on_action = Callback::new(move |(what, user): (RowAction, User)| {
        reporter.message.set(None);
        match what {
            RowAction::Edit => dialog.set(Some(Dialog::Edit(user))),
            RowAction::Deactivate => set_active(user, false),
            RowAction::Reactivate => set_active(user, true),
            RowAction::ResetMfa => dialog.set(Some(Dialog::ResetMfa(user))),
            RowAction::CreateToken => dialog.set(Some(Dialog::Token(user))),
            RowAction::Delete => dialog.set(Some(Dialog::Delete(user))),
        }
    });
    let total = Signal::derive(move || {
        result.with(|result| match result {
            Some(Ok(found)) => found.total,
            _ => 0,
        })
    });

    view! {
        <p class="breadcrumb">"Teams › Users"</p>
        <div class="page-head">
            <h1 tabindex="-1">"Users"</h1>
            {admin.then(|| view! {
                <button type="button" on:click=move |_| {
                    reporter.message.set(None);
                    dialog.set(Some(Dialog::Invite));
                }>"Invite user"</button>
            })}
        </div>
        {(!admin).then(|| view! { <p class="help">"Only admins see and manage the other users of your tenant."</p> })}
        {admin.then(|| view! { <p class="help">"Invited here, or from your Microsoft Entra directory: see " <A href=USER_SOURCE>"User source"</A> "."</p> })}
        <SearchBox id="users-search" label="Search users" hint="E-mail or display name"
            on_search=move |text: String| { query.set(text); page.set(1); }/>
        {move || reporter.message.get().map(|outcome| match outcome {
            Ok(text) => view! { <p class="saved" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
        })}
        {move || match result.get() {
            None => view! { <p role="status">"Loading users…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            Some(Ok(found)) if found.items.is_empty() => view! { <p class="empty-state">"No user matches your search."</p> }.into_any(),
            Some(Ok(found)) => view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Users">
                    <table data-testid="users-table">
                        {header(admin)}
                        <tbody>{found.items.into_iter().map(|user| user_row(user, admin_id, on_action)).collect_view()}</tbody>
                    </table>
                </div>
            }.into_any(),
        }}
        <Pager page total per_page=USERS_PER_PAGE label="Users pages"/>
        {move || dialog.get().map(|open| open_dialog(open, reporter, close))}
    }
}

fn open_dialog(open: Dialog, reporter: Reporter, close: Callback<()>) -> impl IntoView {
    let finish = move |outcome: Result<String, String>| {
        close.run(());
        reporter.report(outcome);
    };
    match open {
        Dialog::Invite => view! {
            <InviteDialog on_invited=move |email| reporter.report(Ok(format!("{email} was invited."))) on_close=close/>
        }
        .into_any(),
        Dialog::Edit(user) => view! {
            <EditDialog user on_saved=move |email| finish(Ok(format!("Changes to {email} saved."))) on_close=close/>
        }
        .into_any(),
        Dialog::Delete(user) => confirmed(
            Question {
                title: format!("Delete {}?", user.email),
                text: "The account and its API tokens are removed for good. To only stop it from signing in, deactivate it instead.",
                confirm_label: "Delete user",
                done: format!("{} was deleted.", user.email),
            },
            move || api::delete_user(user.id),
            reporter,
            close,
        ),
        Dialog::ResetMfa(user) => confirmed(
            Question {
                title: format!("Reset MFA of {}?", user.email),
                text: "Their authenticator app and recovery codes stop working and they are signed out. With Use MFA on, they set up an app again at their next sign-in.",
                confirm_label: "Reset MFA",
                done: format!("The authenticator app of {} was removed.", user.email),
            },
            move || api::reset_mfa(user.id),
            reporter,
            close,
        ),
        Dialog::Token(user) => view! {
            <ModalDialog labelled_by="user-token-title" on_close=close class="user-dialog">
                <div class="modal-head">
                    <h2 id="user-token-title">{format!("API token for {}", user.email)}</h2>
                    <button type="button" class="secondary" on:click=move |_| close.run(())>"Close"</button>
                </div>
                <p class="help">"This account cannot use the web app, so it gets its tokens from an admin. The token acts as this user, with its permissions."</p>
                <NewTokenForm id="user-token" for_user=user.id on_created=|()| {}/>
            </ModalDialog>
        }
        .into_any(),
    }
}

/// What a confirmation dialog asks, and what is reported once the action is done.
struct Question {
    title: String,
    text: &'static str,
    confirm_label: &'static str,
    done: String,
}

/// Asks `question`; once confirmed, closes the dialog, runs `call` and reports its outcome.
fn confirmed<T, F>(
    question: Question,
    call: impl Fn() -> F + Send + Sync + 'static,
    reporter: Reporter,
    close: Callback<()>,
) -> AnyView
where
    F: Future<Output = Result<T, ApiFailure>> + 'static,
{
    let Question {
        title,
        text,
        confirm_label,
        done,
    } = question;
    let confirm = move |()| {
        close.run(());
        reporter.after(call(), done.clone());
    };
    view! {
        <ConfirmDialog title text=text.to_owned() confirm_label on_confirm=confirm on_cancel=close/>
    }
    .into_any()
}
