"""Jobs that must run before tiers: one not in the app, itself, a circle; a regular sidecar."""

from tiers import App, Backend, Container, Job, MySQL, NotSecret

app = App("shop")
db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
api = app.add(Backend("api", image="api:1.0", env={"DB_HOST": db.host}))
elsewhere = Backend("elsewhere", image="api:1.0")
migrate = app.add(Job("migrate", image="api:1.0", before=[elsewhere]))
migrate.before.append(migrate)
app.add(Job("warm-cache", image="api:1.0", env={"API_URL": api.url()}, before=[api]))
app.add(Job("proxied", image="api:1.0", sidecars=[Container("proxy", image="envoy:1.31.3")]))
