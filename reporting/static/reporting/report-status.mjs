// While a report is being made, fetch its state panel every few seconds and show the
// new one when the state changes (ready, or failed). Without JavaScript the panel offers
// a "check again" link instead. An external module, so the Content Security Policy holds.
const panel = document.getElementById('report-status')

function stateOf (element) {
  const box = element.querySelector('[data-state]')
  return box ? box.getAttribute('data-state') : null
}

if (panel && panel.querySelector('[data-waiting]')) {
  const url = panel.getAttribute('data-status-url')
  let delay = 2000
  const poll = async () => {
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      if (response.ok) {
        const html = await response.text()
        const next = new DOMParser().parseFromString(html, 'text/html').body
        if (stateOf(next) !== stateOf(panel)) {
          panel.replaceChildren(...next.childNodes)
        }
        if (!panel.querySelector('[data-waiting]')) {
          return
        }
      }
    } catch (error) {
      // A network blip: try again below, a little later.
    }
    delay = Math.min(delay * 1.5, 15000)
    window.setTimeout(poll, delay)
  }
  window.setTimeout(poll, delay)
}
