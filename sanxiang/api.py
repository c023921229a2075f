"""The API at /api/v1/: one NinjaAPI, routers added by each app's api.py."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Sanxiang API",
    version="1",
    description="三项制度执法平台接口。权限与网页相同：只能访问本机关（监督人员：本辖区）的数据。",
    urls_namespace="api",
)
