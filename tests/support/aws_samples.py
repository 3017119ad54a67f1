"""Lambda events as AWS wrote them: the SAM CLI's sample events (`sam local generate-event`),
read from the aws-sam-cli wheel that `make test` downloads (never committed) and filled in as
the SAM CLI fills its templates. Our own shapes in events.py agree with our assumptions; these
do not have to."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path
from typing import Any

from tests.support.prerequisites import missing

WHEELS = Path(__file__).resolve().parents[1] / "aws-samples"
_EVENTS = "samcli/lib/generated_sample_events/"


def sample_event(service: str, event: str, **values: str) -> dict[str, Any]:
    """`sam local generate-event SERVICE EVENT --tag value …`: the template AWS ships with
    each tag (dashes as in the CLI, e.g. `path`, `method`) filled from `values` or its default."""
    wheel = next(WHEELS.glob("aws_sam_cli-*.whl"), None)
    if wheel is None:
        missing(f"AWS's sample events ({WHEELS})", "run `make aws-samples`")
    with zipfile.ZipFile(wheel) as archive:
        spec = json.loads(archive.read(f"{_EVENTS}event-mapping.json"))[service][event]
        template = archive.read(f"{_EVENTS}events/{service}/{spec['filename']}.json").decode()
    for tag, properties in spec["tags"].items():
        value = values.get(tag, properties.get("default", ""))
        placeholder = "{{{" + tag.replace("-", "_") + "}}}"
        if properties.get("type") == "dict":  # a JSON object in place of the quoted placeholder
            template = template.replace(f'"{placeholder}"', value)
            continue
        if properties.get("encoding") == "base64":
            value = base64.b64encode(value.encode()).decode()
        template = template.replace(placeholder, value)
    document: dict[str, Any] = json.loads(template)
    return document
