// The site's icon, served as /favicon.svg and linked from every page: a ledger page with a seal,
// in the header's blue. A static string, so it needs no file on disk and no build step.
export const faviconPath = '/favicon.svg';

export const faviconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect x="5" y="2" width="22" height="28" rx="3" fill="#12355b"/>
<path d="M10 9h12M10 14h12M10 19h7" stroke="#fff" stroke-width="2" stroke-linecap="round"/>
<circle cx="22" cy="23" r="4" fill="#ffd54f"/>
</svg>`;
