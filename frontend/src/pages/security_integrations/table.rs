//! The tenant's security integrations, one row each, with what an admin can do to each.

use leptos::prelude::*;
use proto::SecurityIntegration;

use crate::components::day;

/// What a row's button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    Test,
    Edit,
    /// Turn on (`true`) or off.
    Enable(bool),
    Delete,
}

fn row(
    integration: SecurityIntegration,
    on_action: Callback<(RowAction, SecurityIntegration)>,
) -> impl IntoView {
    let enabled = integration.enabled;
    let act = {
        let integration = integration.clone();
        move |action: RowAction| {
            let integration = integration.clone();
            move |_| on_action.run((action, integration.clone()))
        }
    };
    view! {
        <tr class:inactive=!enabled>
            <th scope="row">{integration.name.clone()}</th>
            <td>"Duo Web SDK"</td>
            <td><code>{integration.client_id.clone()}</code></td>
            <td><code>{integration.api_hostname.clone()}</code></td>
            <td data-testid="integration-state">{if enabled { "On" } else { "Off" }}</td>
            <td class="when">{day(&integration.created_at)}</td>
            <td>
                <div class="row-actions">
                    <button type="button" class="small" on:click=act(RowAction::Test)>"Test"</button>
                    <button type="button" class="small secondary" on:click=act(RowAction::Edit)>"Edit"</button>
                    <button type="button" class="small secondary" on:click=act(RowAction::Enable(!enabled))>
                        {if enabled { "Disable" } else { "Enable" }}
                    </button>
                    <button type="button" class="small danger" on:click=act(RowAction::Delete)>"Delete"</button>
                </div>
            </td>
        </tr>
    }
}

pub fn table(
    integrations: Vec<SecurityIntegration>,
    on_action: Callback<(RowAction, SecurityIntegration)>,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Security integrations">
            <table>
                <thead><tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col">"Client ID"</th>
                    <th scope="col">"API hostname"</th>
                    <th scope="col">"At sign-in"</th>
                    <th scope="col">"Added"</th>
                    <th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {integrations.into_iter().map(|integration| row(integration, on_action)).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
