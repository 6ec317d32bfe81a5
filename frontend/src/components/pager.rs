//! Previous/next paging under a server-paged table.

use leptos::prelude::*;

/// How many pages `total` rows fill, at least one (an empty table is page 1 of 1).
pub fn page_count(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

#[component]
pub fn Pager(
    page: RwSignal<u64>,
    #[prop(into)] total: Signal<u64>,
    per_page: u64,
    /// The navigation's accessible name, e.g. "Customers pages".
    label: &'static str,
) -> impl IntoView {
    let pages = move || page_count(total.get(), per_page);
    view! {
        <nav class="pager" aria-label=label>
            <button type="button" class="secondary" disabled=move || { page.get() <= 1 }
                on:click=move |_| page.update(|page| *page = page.saturating_sub(1).max(1))>"Previous page"</button>
            <span>{move || format!("Page {} of {}", page.get(), pages())}</span>
            <button type="button" class="secondary" disabled=move || { page.get() >= pages() }
                on:click=move |_| page.update(|page| *page += 1)>"Next page"</button>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_empty_table_still_has_one_page() {
        assert_eq!(super::page_count(0, 10), 1);
        assert_eq!(super::page_count(10, 10), 1);
        assert_eq!(super::page_count(11, 10), 2);
    }
}
