"""Map the ``accord.*`` import namespace onto the repository's top-level folders.

``accord`` itself is an implicit namespace package; each subpackage lives in the
folder docs/architecture.md ("Import namespace ↔ folders") fixes for it.
"""

from setuptools import find_packages, setup

ROOTS = {
    "accord.spec": "spec",
    "accord.conformance": "conformance",
    "accord.reference": "reference_impl",
    "accord.adapters": "adapters",
}

packages: list[str] = []
package_dir: dict[str, str] = {}
for name, folder in ROOTS.items():
    package_dir[name] = folder
    packages.append(name)
    packages += [f"{name}.{sub}" for sub in find_packages(folder)]

setup(packages=packages, package_dir=package_dir)
