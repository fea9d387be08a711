/**
 * The interactive API reference at /docs: Swagger UI (swagger-ui-dist, served under /docs/assets/)
 * reading /openapi.json. NOTE: helmet's CSP forbids inline scripts, so the page loads its
 * initializer from /docs/assets/tierlift-init.js rather than an inline <script>. Kept as strings so the page
 * ships with the compiled code (tsc copies no .html files).
 */
export const DOCS_PAGE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Tierlift API reference</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <main id="swagger-ui" aria-label="Tierlift API reference"></main>
    <noscript>The interactive reference needs JavaScript; the document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/tierlift-init.js"></script>
  </body>
</html>
`;

export const DOCS_INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    // No badge fetched from validator.swagger.io: the page calls nothing but this service.
    validatorUrl: null,
  });
});
`;
