"""The seed page, end to end through the CLI: `copydesk extract PAGE --format json|text`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, SEED
from copydesk.cli import main

PAGE = FIXTURES / f"{SEED}.page.html"
EXPECTED = json.loads((FIXTURES / f"{SEED}.page.expected.json").read_text(encoding="utf-8"))


def run_cli(*args: str) -> str:
    result = CliRunner().invoke(main, ["extract", str(PAGE), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


@pytest.fixture(scope="module")
def raw_json() -> str:
    return run_cli("--format", "json")


@pytest.fixture(scope="module")
def out(raw_json) -> dict:
    return json.loads(raw_json)


def test_metadata(out):
    assert out["title"] == EXPECTED["title"]
    assert out["subtitle"] == EXPECTED["subtitle"]
    assert out["section"] == EXPECTED["section"]
    assert out["date_published"].startswith(EXPECTED["date"])
    assert out["site_name"] == EXPECTED["site_name"]
    assert out["language"] == EXPECTED["language"]
    assert out["url"] == EXPECTED["url"]
    assert out["paywalled"] is EXPECTED["paywalled"] is True
    assert out["dateline"] == EXPECTED["dateline"]
    assert out["page_type"] == "article"


def test_image(out):
    (want,) = EXPECTED["images"]
    assert len(out["images"]) == 1
    got = out["images"][0]
    assert got["src"] == want["src"]
    assert got["caption"] == want["caption"]
    assert got["credit"] == want["credit"]
    assert "Xinhua" not in got["caption"]


def nbsp_as_space(texts):
    """No-break spaces as plain spaces: the seed text has two U+00A0 in the 3rd paragraph,
    and whether the extractor keeps them is a normalisation choice, not content."""
    return [t.replace("\xa0", " ") for t in texts]


BODY = nbsp_as_space(EXPECTED["body_paragraphs"])
CAPTION = EXPECTED["images"][0]["caption"]


def test_body_blocks(out):
    kinds = [b["kind"] for b in out["blocks"]]
    # The one figure comes first (it sits above the body on the page), then the paragraphs.
    assert kinds == ["figure"] + ["paragraph"] * len(BODY)
    figure = out["blocks"][0]
    assert figure["text"] == CAPTION
    assert figure["image"]["credit"] == EXPECTED["images"][0]["credit"]
    assert figure["image"]["src"] == EXPECTED["images"][0]["src"]
    assert nbsp_as_space(b["text"] for b in out["blocks"][1:]) == BODY
    assert out["blocks"][1]["text"].startswith(EXPECTED["dateline"] + " -- ")


def assert_caption_then_body(paragraphs):
    """The text rendering is the standfirst, then exactly the body paragraphs, in order,
    optionally preceded by the figure's caption block (whether plain text shows captions
    is the renderer's call)."""
    assert paragraphs[0] == EXPECTED["subtitle"]
    paragraphs = paragraphs[1:]
    if paragraphs and paragraphs[0] == CAPTION:
        paragraphs = paragraphs[1:]
    assert nbsp_as_space(paragraphs) == BODY


def test_json_text_field(out):
    assert_caption_then_body(out["text"].split("\n\n"))


def test_text_format_paragraphs():
    text = run_cli("--format", "text")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert_caption_then_body(text.rstrip("\n").split("\n\n"))
    assert "Xinhua/AP" not in text.split(CAPTION)[-1]  # the credit is not a body paragraph


def test_no_images_gives_only_body_and_keeps_dateline():
    out = json.loads(run_cli("--format", "json", "--no-images"))
    assert out["images"] == []
    assert out["dateline"] == EXPECTED["dateline"]
    assert nbsp_as_space(b["text"] for b in out["blocks"]) == BODY


def all_strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from all_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from all_strings(v)


@pytest.mark.parametrize("needle", EXPECTED["must_not_contain"])
def test_must_not_contain(raw_json, needle):
    assert needle not in raw_json
    # nor in any decoded string value (JSON escaping could hide one from the raw check)
    for value in all_strings(json.loads(raw_json)):
        assert needle not in value


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_must_not_contain_other_formats(fmt):
    rendered = run_cli("--format", fmt)
    for needle in EXPECTED["must_not_contain"]:
        assert needle not in rendered, (fmt, needle)


def test_packaged_example_is_the_seed_page():
    from copydesk.cli import example_path

    assert example_path().read_bytes() == PAGE.read_bytes()


def test_trailing_photo_credit_in_a_caption_is_the_credit():
    from selectolax.lexbor import LexborHTMLParser

    from copydesk.segment import split_credit

    def split(text):
        return split_credit(LexborHTMLParser(f"<figcaption>{text}</figcaption>").css_first("figcaption"))

    assert split("The mayor in the city. Photo: John Smith") == ("The mayor in the city.", "John Smith")
    assert split("The mayor in the city (Credit: Jane Roe)") == ("The mayor in the city", "Jane Roe")
    assert split("Image: a cat on a mat") == ("Image: a cat on a mat", "")
