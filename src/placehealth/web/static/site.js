// The NHS.UK frontend's components (header menu, skip link, buttons). Loaded as a
// module file: the site's Content-Security-Policy allows no inline script.
import { initAll } from '/assets/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()
