import { initAll } from '../govuk/govuk-frontend.min.js'
initAll()

// Progress pages of long work (imports, exports): with JavaScript they reload
// themselves while the work runs; without it, their "Check again" link does.
const refresher = document.querySelector('[data-sg-refresh]')
if (refresher) {
  window.setTimeout(() => window.location.reload(), Number(refresher.dataset.sgRefresh) || 3000)
}

// Print buttons (the chronology): no inline handlers, the Content-Security-Policy forbids them.
for (const button of document.querySelectorAll('[data-sg-print]')) {
  button.addEventListener('click', () => window.print())
}
