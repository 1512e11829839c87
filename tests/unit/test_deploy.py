"""deploy/: the Kubernetes manifests validate offline against the Kubernetes schemas (kubernetes-validate
ships them), and the Dockerfile, nginx and Compose files have the properties deploy/README.md claims."""
from __future__ import annotations

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
K8S_VERSION = "1.30"
MANIFESTS = ["deployment.yaml", "service.yaml", "ingress.yaml", "hpa.yaml"]


def _docs(name: str) -> list[dict]:
    return [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]


def _kind(kind: str) -> dict:
    docs = [d for n in MANIFESTS for d in _docs(n) if d["kind"] == kind]
    assert len(docs) == 1, kind
    return docs[0]


@pytest.mark.parametrize("name", MANIFESTS)
def test_manifests_validate_offline_strictly(name):
    for doc in _docs(name):
        assert kubernetes_validate.validate(doc, K8S_VERSION, strict=True) == K8S_VERSION


def test_the_validator_would_catch_a_mistake():
    bad = _kind("Deployment")
    bad = yaml.safe_load(yaml.safe_dump(bad))
    bad["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["paht"] = "/x"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)
    bad = _kind("Service")
    bad = yaml.safe_load(yaml.safe_dump(bad))
    bad["spec"]["ports"][0]["port"] = "eighty"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest():
    kust = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(kust["resources"]) == sorted(MANIFESTS)


def test_deployment_probes_resources_and_non_root():
    dep = _kind("Deployment")
    pod = dep["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert c[probe]["httpGet"]["path"] == "/_stcore/health", probe
        assert c[probe]["httpGet"]["port"] in ("http", 8501)
    assert {"cpu", "memory"} <= c["resources"]["requests"].keys()
    assert {"cpu", "memory"} <= c["resources"]["limits"].keys()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert c["securityContext"]["allowPrivilegeEscalation"] is False
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert {"name": "tmp", "mountPath": "/tmp"} in c["volumeMounts"]     # the one writable place
    env = {e["name"]: e for e in c["env"]}
    secret = env["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert "value" not in secret and secret["valueFrom"]["secretKeyRef"]["key"] == "cookie-secret"
    selector = dep["spec"]["selector"]["matchLabels"]
    assert selector.items() <= dep["spec"]["template"]["metadata"]["labels"].items()
    assert _kind("Service")["spec"]["selector"] == selector


def test_ingress_has_cookie_affinity_and_long_websocket_timeouts():
    ing = _kind("Ingress")
    ann = ing["metadata"]["annotations"]
    p = "nginx.ingress.kubernetes.io/"
    assert ann[p + "affinity"] == "cookie"
    assert int(ann[p + "proxy-read-timeout"]) >= 3600 and int(ann[p + "proxy-send-timeout"]) >= 3600
    assert ann[p + "proxy-body-size"] == "6m"
    assert int(ann[p + "limit-rps"]) > 0 and int(ann[p + "limit-connections"]) > 0
    backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == _kind("Service")["metadata"]["name"]


def test_hpa_scales_the_deployment_on_cpu():
    hpa = _kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                             "name": _kind("Deployment")["metadata"]["name"]}
    assert 1 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"


def test_dockerfile_runs_as_a_non_root_user_and_copies_no_git():
    text = (DEPLOY / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0"), users
    # the USER line comes after every COPY/RUN that needs root, before the command
    assert text.index("USER") > max(m.start() for m in re.finditer(r"^(COPY|RUN)", text, flags=re.M))
    assert "/_stcore/health" in text
    ignored = {ln.strip() for ln in (ROOT / ".dockerignore").read_text().splitlines()
               if ln.strip() and not ln.startswith("#")}
    assert {".git", "tests", "**/__pycache__", ".pytest_cache"} <= ignored
    assert ".streamlit" not in ignored and "data" not in ignored, "the image needs its config and data"


@pytest.mark.parametrize("name", ["nginx.conf.template", "nginx.compose.conf"])
def test_nginx_limits_and_keeps_the_origin_header(name):
    text = (DEPLOY / name).read_text()
    code = "\n".join(ln.split("#", 1)[0] for ln in text.splitlines())       # without comments
    assert re.search(r"proxy_set_header\s+Origin", code) is None, "Origin must reach Streamlit"
    assert re.search(r"limit_req_zone\s+\$binary_remote_addr", code)
    assert re.search(r"limit_conn_zone\s+\$binary_remote_addr", code)
    for block in re.findall(r"location\s+\S+\s*\{(.*?)\n\s*\}", code, flags=re.S):
        assert "limit_req zone=" in block and "limit_conn " in block, block
        assert "proxy_set_header Host $http_host;" in block, "Host with its port, for the origin check"
    stream = re.search(r"location /_stcore/stream\s*\{(.*?)\}", code, flags=re.S).group(1)
    assert "Upgrade $http_upgrade" in stream and "proxy_read_timeout 86400s" in stream


def test_compose_requires_the_cookie_secret():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    secret = compose["services"]["app"]["environment"]["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert re.fullmatch(r"\$\{STREAMLIT_SERVER_COOKIE_SECRET:\?[^}]+\}", secret), secret   # no fallback
    assert compose["services"]["app"]["read_only"] is True
    assert "change-me" not in (DEPLOY / "docker-compose.yml").read_text()


def test_run_cluster_generates_a_secret_when_none_is_set():
    text = (DEPLOY / "run_cluster.sh").read_text()
    assert "STREAMLIT_SERVER_COOKIE_SECRET:-$(head -c 24 /dev/urandom" in text
