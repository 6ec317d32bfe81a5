//! Technicians the offboarding deactivated for Microsoft Entra and that Entra has since enabled
//! again (SPEC §16): they are never reactivated silently, so each waits here for an admin's
//! **Reactivate**. The server asks the directory first and may refuse; the refusal shows at the
//! row it concerns.

use leptos::{prelude::*, task::spawn_local};
use proto::{ReenabledUser, UpdateUserRequest, UserSourceSettings};
use uuid::Uuid;

use crate::{
    api::{ApiFailure, sentence, user_source as api, users},
    components::minute,
};

type Settings = RwSignal<Option<Result<UserSourceSettings, String>>>;

/// The refusal of a Reactivate in words: the directory's reason when the server gave one for
/// `active`, else the problem's own detail.
fn refusal_words(failure: &ApiFailure) -> String {
    failure
        .field_message("active")
        .unwrap_or_else(|| failure.message())
}

fn when(at: &chrono::DateTime<chrono::Utc>) -> String {
    format!("{} UTC", minute(at))
}

/// The id of the refusal shown under a row's button, which the button names as its description.
fn problem_id(user_id: Uuid) -> String {
    format!("reenabled-problem-{user_id}")
}

#[component]
pub fn ReenabledSection(settings: Settings) -> impl IntoView {
    let waiting = move || {
        settings.with(|settings| {
            settings
                .as_ref()
                .and_then(|settings| settings.as_ref().ok())
                .map(|settings| settings.reenabled.clone())
                .unwrap_or_default()
        })
    };
    let refusals = RwSignal::new(Vec::<(Uuid, String)>::new());
    let busy = RwSignal::new(None::<Uuid>);
    let done = RwSignal::new(None::<String>);
    let heading = NodeRef::<leptos::html::H2>::new();

    let reactivate = move |user: ReenabledUser| {
        if busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(user.user_id));
        done.set(None);
        refusals.update(|found| found.retain(|(id, _)| *id != user.user_id));
        spawn_local(async move {
            let change = UpdateUserRequest {
                active: Some(true),
                ..UpdateUserRequest::default()
            };
            match users::update_user(user.user_id, &change).await {
                Ok(_) => {
                    // The row goes at once; the settings read again then say who else waits
                    // (another admin may have acted meanwhile).
                    settings.try_update(|settings| {
                        if let Some(Ok(settings)) = settings {
                            settings.reenabled.retain(|row| row.user_id != user.user_id);
                        }
                    });
                    done.try_set(Some(format!("{} was reactivated.", user.email)));
                    // The pressed button is gone with its row: focus goes to the section, whose
                    // status says what happened.
                    if let Some(heading) = heading.get_untracked() {
                        let _ = heading.focus();
                    }
                    if let Ok(fresh) = api::settings().await {
                        settings.try_set(Some(Ok(fresh)));
                    }
                }
                Err(failure) => {
                    refusals
                        .try_update(|found| found.push((user.user_id, refusal_words(&failure))));
                }
            }
            busy.try_set(None);
        });
    };

    let row = move |user: ReenabledUser| {
        let id = user.user_id;
        let refusal = move || {
            refusals.with(|found| {
                found
                    .iter()
                    .find(|(user_id, _)| *user_id == id)
                    .map(|(_, text)| text.clone())
            })
        };
        let label = format!("Reactivate {}", user.email);
        let described = move || refusal().map(|_| problem_id(id));
        let target = user.clone();
        view! {
            <tr>
                <td>{user.display_name.clone()}</td>
                <th scope="row">{user.email.clone()}</th>
                <td>{sentence(&user.offboarded_because)}</td>
                <td class="when">{when(&user.offboarded_at)}</td>
                <td class="when">{when(&user.reenabled_at)}</td>
                <td>
                    <button type="button" class="secondary small" aria-label=label
                        aria-describedby=described disabled=move || busy.get().is_some()
                        on:click=move |_| reactivate(target.clone())>
                        {move || if busy.get() == Some(id) { "Reactivating…" } else { "Reactivate" }}
                    </button>
                    {move || refusal().map(|text| view! { <p class="error" role="alert" id=problem_id(id)>{text}</p> })}
                </td>
            </tr>
        }
    };

    let shown = move || !waiting().is_empty() || done.with(Option::is_some);
    view! {
        <Show when=shown>
            <section class="card" aria-labelledby="reenabled-title" data-testid="reenabled">
                <h2 id="reenabled-title" tabindex="-1" node_ref=heading>"Enabled again in Microsoft Entra"</h2>
                <p class="help">"These users were deactivated because Microsoft Entra removed or disabled them, and Entra has since enabled them again. They stay deactivated here until you reactivate them."</p>
                {move || (!waiting().is_empty()).then(|| view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Users enabled again in Microsoft Entra">
                        <table>
                            <thead><tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"E-mail"</th>
                                <th scope="col">"Why deactivated"</th>
                                <th scope="col">"Deactivated"</th>
                                <th scope="col">"Enabled again"</th>
                                <th scope="col">"Action"</th>
                            </tr></thead>
                            <tbody>
                                <For each=waiting key=|user| user.user_id let:user>
                                    {row(user)}
                                </For>
                            </tbody>
                        </table>
                    </div>
                })}
                {move || done.get().map(|text| view! { <p class="saved" role="status">{text}</p> })}
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_reactivation_says_what_the_directory_said() {
        let disabled = ApiFailure::refused(
            422,
            "disabled_in_directory",
            Some("the request is invalid"),
            &[(
                "active",
                "this user is disabled in your Microsoft Entra directory: enable it there first",
            )],
        );
        assert_eq!(
            refusal_words(&disabled),
            "This user is disabled in your Microsoft Entra directory: enable it there first."
        );
        let unreachable = ApiFailure::refused(
            502,
            "graph_unreachable",
            Some("Microsoft Graph is unreachable"),
            &[],
        );
        assert_eq!(
            refusal_words(&unreachable),
            "Microsoft Graph is unreachable."
        );
        assert_eq!(
            refusal_words(&ApiFailure::Network),
            ApiFailure::Network.message()
        );
    }
}
