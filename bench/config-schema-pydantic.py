#!/usr/bin/env python3
"""Reference loader for the @ops/config-schema benchmark: read every config file in a directory
(YAML with PyYAML's C loader when available, else JSON), validate each with a pydantic model,
and report the time of the loop; then validations/second of one small config already in memory.
Prints one JSON object on stdout."""
import json
import os
import sys
import time
from typing import List, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

try:
    import yaml
    Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    yaml_loader = "CSafeLoader" if Loader is not yaml.SafeLoader else "SafeLoader"
except ImportError:  # python3-yaml missing: JSON files only
    yaml = None
    yaml_loader = None


class Image(BaseModel):
    model_config = ConfigDict(extra="forbid")
    repo: str = Field(min_length=1)
    tag: str = "latest"


class Port(BaseModel):
    model_config = ConfigDict(extra="forbid")
    port: int = Field(ge=1, le=65535)
    protocol: Literal["tcp", "udp"] = "tcp"


class Resources(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cpu: float = Field(gt=0)
    memory_mib: int = Field(ge=16)


class App(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    replicas: int = Field(ge=1, le=100)
    image: Image
    ports: List[Port] = []
    env: dict[str, str] = {}
    resources: Optional[Resources] = None
    level: Literal["debug", "info", "warn", "error"] = "info"


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".json") or yaml is None:
        return json.loads(data)
    return yaml.load(data, Loader=Loader)


def main():
    directory, ext = sys.argv[1], sys.argv[2]
    small = json.loads(sys.argv[3])
    files = sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(ext))
    if ext != ".json" and yaml is None:
        raise SystemExit("python3-yaml is not installed: run with .json files")
    started = time.perf_counter()
    valid = invalid = 0
    for path in files:
        try:
            App.model_validate(load(path))
            valid += 1
        except ValidationError:
            invalid += 1
    loop = time.perf_counter() - started

    if sys.argv[-1] == "--files-only":
        print(json.dumps({"files": len(files), "valid": valid, "invalid": invalid, "seconds": loop}))
        return
    n = 0
    started = time.perf_counter()
    while True:
        for _ in range(1000):
            App.model_validate(small)
        n += 1000
        if time.perf_counter() - started >= 1.0:
            break
    per_second = n / (time.perf_counter() - started)

    # The same small config as text: parse (PyYAML C loader, or json) and validate.
    small_text = sys.argv[4] if len(sys.argv) > 4 else json.dumps(small)
    parse = (lambda t: yaml.load(t, Loader=Loader)) if ext != ".json" and yaml is not None else json.loads
    n = 0
    started = time.perf_counter()
    while True:
        for _ in range(100):
            App.model_validate(parse(small_text))
        n += 100
        if time.perf_counter() - started >= 1.0:
            break
    text_per_second = n / (time.perf_counter() - started)
    print(json.dumps({"files": len(files), "valid": valid, "invalid": invalid, "seconds": loop,
                      "validations_per_second": per_second, "text_per_second": text_per_second, "loader": yaml_loader or "json",
                      "pydantic": __import__("pydantic").VERSION}))


if __name__ == "__main__":
    main()
