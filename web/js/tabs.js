// A tab list (WAI-ARIA tabs pattern): the selected tab is `state.tab`; arrows, Home and End move
// between tabs; each tab's `data-tab` names its panel's key.

/**
 * @param {HTMLElement} tablist
 * @param {(tab: string) => void} select
 * @param {(id: string) => HTMLElement} $ looks panels up (in the playground's root)
 * @returns {(current: string) => void} render
 */
export function createTabs(tablist, select, $) {
  const tabs = [...tablist.querySelectorAll('[role=tab]')];
  for (const tab of tabs) tab.addEventListener('click', () => select(tab.dataset.tab));
  tablist.addEventListener('keydown', (event) => {
    const i = tabs.indexOf(event.target.closest?.('[role=tab]'));
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length];
    select(tab.dataset.tab);
    tab.focus();
  });
  return (current) => {
    for (const tab of tabs) {
      const on = tab.dataset.tab === current;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = $(tab.getAttribute('aria-controls'));
      if (panel) panel.hidden = !on;
    }
  };
}
