// The one stylesheet of every page, served as /assets/app.css so that pages carry no inline
// style (a Content-Security-Policy can then refuse inline styles and scripts alike).
export const stylesheetPath = '/assets/app.css';

export const appCss = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b}
header{background:#12355b;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#fff}header form{margin-left:auto}
main{max-width:72rem;margin:1rem auto;padding:0 1rem}
body.plain{max-width:70rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem;border-bottom:1px solid #ddd}
.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#eee;font-size:.85rem}
.bad{background:#fdd}.good{background:#dfd}.warn{background:#ffd}
.error{border:1px solid #c00;background:#fee;padding:.5rem}
form.inline{display:inline}fieldset{margin:.5rem 0;min-width:0}label{display:block;margin:.2rem 0}
input,select,textarea,button{font:inherit;max-width:100%;box-sizing:border-box}textarea{width:100%}code{word-break:break-all}
pre{overflow-x:auto}blockquote{margin:.5rem 0 .5rem 1rem;overflow-wrap:anywhere}td,th{overflow-wrap:anywhere}
img,svg{max-width:100%}
.text{white-space:pre-wrap}
ol.timeline{padding-left:1.5rem}ol.timeline li{margin:.6rem 0;padding-bottom:.4rem;border-bottom:1px solid #eee}
ol.timeline p{margin:.1rem 0}.timeline .when{color:#555;font-size:.9rem}
blockquote.said{margin:.3rem 0;padding:.2rem .6rem;border-left:3px solid #12355b;background:#f6f8fb}
details.raw pre{white-space:pre-wrap;word-break:break-all;font-size:.8rem;background:#f4f4f4;padding:.4rem;margin:0}
details.raw dd{margin:0 0 .3rem 0}
/* The chart keeps its size and scrolls sideways inside its box, so the page stays as wide as the screen. */
.chart-scroll{overflow-x:auto;max-width:100%;border:1px solid #ddd;border-radius:.3rem}svg.statechart{max-width:none;height:auto;display:block}
.next-steps{margin:.3rem 0}
section.operation{border-top:1px solid #ddd;padding:.5rem 0}section.operation h2{font-size:1rem}
section.operation code{background:#f4f4f4;padding:0 .2rem}
@media (max-width:40rem){table,thead,tbody,tr,td{display:block}thead{display:none}tr{border-bottom:2px solid #999}}
`;
