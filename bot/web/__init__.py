"""The web channel and the owner dashboard (aiohttp routes, cookies, static files).

`routes.add_web` mounts everything; `chat` is the customer page (channel "web"),
`dashboard` the back office, `auth` sign-in/roles/CSRF, `sender` the worker's
`Sender` for web customers. Kept import-light: `bot.app` imports `sender`.
"""
