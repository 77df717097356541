"""Decoding page bytes: BOMs, declared charsets, mislabelled and undeclared encodings,
invalid bytes and NULs; through `copydesk.decode.decode` and through `copydesk.extract`."""

from __future__ import annotations

import codecs

import pytest

import copydesk
from copydesk.decode import charset_from_content_type, decode, looks_binary, normalise_label
from pages import ENGLISH_PARAGRAPHS, article_page

CHINESE_TITLE = "上半年城市公共交通运行平稳 地铁日均客运量创新高"
CHINESE = [
    "本报讯 近日，市交通运输局发布了今年上半年城市公共交通运行情况报告。报告显示，全市地铁日均客运量达到"
    "四百二十万人次，比去年同期增长百分之十二，公交线路总长度突破一万公里，市民绿色出行比例持续提高。",
    "报告指出，随着三条新建地铁线路相继开通运营，城市东部和北部地区的出行条件得到明显改善。过去需要换乘两次"
    "才能到达市中心的居民，现在只需乘坐一条线路，平均通勤时间缩短了约二十分钟。",
    "在公交方面，交通部门今年新开和优化调整线路六十余条，重点解决新建居住区和产业园区的“最后一公里”问题。"
    "同时，全市已有超过九成的公交车辆更换为新能源车辆，每年可减少二氧化碳排放约三十万吨。",
    "市交通运输局有关负责人表示，下半年将继续推进轨道交通建设，加快智慧公交系统的推广应用，并进一步完善步行"
    "和自行车道网络，让市民出行更加便捷、舒适和安全。",
    "专家认为，公共交通的发展不仅关系到市民的日常生活，也是城市实现低碳发展目标的重要途径。未来应当加强不同"
    "交通方式之间的衔接，提高整体运行效率。",
]

JAPANESE_TITLE = "今年の夏は全国的に高温の見込み　気象庁が熱中症への注意呼びかけ"
JAPANESE = [
    "気象庁によりますと、今年の夏は全国的に平年より気温が高くなる見込みで、特に東日本と西日本では猛暑日が"
    "続く可能性があるということです。",
    "専門家は、熱中症を防ぐために、こまめな水分補給とエアコンの適切な使用を呼びかけています。特に高齢者や"
    "小さな子どもは体温の調節が難しいため、周りの人が注意を払うことが大切だとしています。",
    "また、電力需要の増加に備えて、政府は企業や家庭に対して節電への協力を求めるとともに、発電所の点検や予備の"
    "電源の確保を進めています。",
    "一方、農業への影響も心配されています。高温が続くと米や野菜の品質が下がるおそれがあり、各地の農業試験場"
    "では暑さに強い品種の開発や栽培方法の研究が進められています。",
    "気象庁は今後も最新の情報に注意するよう呼びかけ、こまめに天気予報を確認してほしいと話しています。",
]

RUSSIAN_TITLE = "Городской совет одобрил продление трамвайной линии"
RUSSIAN = [
    "Городской совет во вторник проголосовал за продление трамвайной линии вдоль реки на четыре километра, "
    "завершив спор, который почти два года разделял жителей восточных районов.",
    "Сторонники плана заявили, что продление сократит время в пути для тридцати тысяч человек, которые сейчас "
    "пользуются переполненными автобусами.",
    "Строительство должно начаться следующей весной и займёт около трёх лет, сообщили в администрации города.",
]


def page_bytes(title, paragraphs, encoding, *, lang="en", head=""):
    return article_page(title, paragraphs, lang=lang, head=head).encode(encoding)


def paragraphs_of(article):
    return [b.text for b in article.blocks if b.kind == "paragraph"]


# --- declared charsets -------------------------------------------------------------

@pytest.mark.parametrize("meta", [
    '<meta charset="windows-1251">',
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
])
def test_meta_charset(meta):
    data = page_bytes(RUSSIAN_TITLE, RUSSIAN, "cp1251", lang="ru", head=meta)
    text, encoding = decode(data)
    assert encoding == "cp1251"
    assert RUSSIAN[0] in text
    article = copydesk.extract(data)
    assert article.title == RUSSIAN_TITLE
    assert paragraphs_of(article) == RUSSIAN


def test_charset_argument_without_meta():
    data = page_bytes(RUSSIAN_TITLE, RUSSIAN, "koi8-r", lang="ru")
    text, encoding = decode(data, "KOI8-R")
    assert encoding == "koi8-r"
    assert RUSSIAN[1] in text
    article = copydesk.extract(data, charset="KOI8-R")
    assert article.title == RUSSIAN_TITLE
    assert paragraphs_of(article) == RUSSIAN


def test_charset_argument_beats_meta():
    # The transport's charset (HTTP Content-Type) outranks a <meta> that disagrees.
    data = page_bytes(RUSSIAN_TITLE, RUSSIAN, "koi8-r", lang="ru", head='<meta charset="windows-1251">')
    assert decode(data, "koi8-r")[0].count(RUSSIAN[2]) == 1
    assert paragraphs_of(copydesk.extract(data, charset="koi8-r")) == RUSSIAN


def test_declared_legacy_charset_but_bytes_are_utf8():
    paragraphs = ["Le café de la gare a rouvert ses portes après trois mois de travaux, à la grande joie des habitués du quartier.",
                  "« C'est un lieu de rencontre, pas seulement un café », explique la gérante, qui a conservé le comptoir d'origine."]
    data = page_bytes("Le café de la gare rouvre", paragraphs, "utf-8", lang="fr", head='<meta charset="iso-8859-1">')
    text, encoding = decode(data)
    assert encoding == "utf-8"
    assert paragraphs[0] in text and "Ã©" not in text


# --- windows-1252 labelled ISO-8859-1 ----------------------------------------------

MISLABELLED = (b'<html><head><meta charset="iso-8859-1"><title>Caf\xe9 society</title></head><body><article><h1>Caf\xe9 society</h1>'
               b"<p>The mayor called the plan \x93a turning point for the city\x94 and said the caf\xe9 terraces would stay open "
               b"until midnight through the summer, a decision that restaurant owners had been requesting for years.</p>"
               b"<p>Residents\x92 groups said they would watch the noise levels closely \x97 and would ask the council to "
               b"review the decision in the autumn if complaints rose in the old town\x85</p></article></body></html>")


def test_iso_8859_1_label_decodes_as_windows_1252():
    text, encoding = decode(MISLABELLED)
    assert encoding == "cp1252"
    assert "\u201ca turning point for the city\u201d" in text
    assert "Residents\u2019 groups" in text and "\u2014" in text and "old town\u2026" in text
    assert "café" in text
    assert not any("\x80" <= c <= "\x9f" for c in text)  # no C1 control characters


def test_iso_8859_1_from_transport_decodes_as_windows_1252():
    body = MISLABELLED.replace(b'<meta charset="iso-8859-1">', b"")
    text, _ = decode(body, "ISO-8859-1")
    assert "\u201ca turning point for the city\u201d" in text
    article = copydesk.extract(body, charset="ISO-8859-1")
    assert article.text.count("\u201c") == 1 and article.text.count("\u201d") == 1
    assert "\x93" not in article.text and "\x94" not in article.text


def test_mislabelled_through_extract():
    article = copydesk.extract(MISLABELLED)
    assert article.title == "Café society"
    assert "\u201ca turning point for the city\u201d" in article.text


# --- undeclared encodings -------------------------------------------------------------

def test_utf8_without_declaration():
    paragraphs = [p + " Ünïcödé — “quoted” ✓" for p in ENGLISH_PARAGRAPHS]
    data = page_bytes("Tram line extension approved — finally", paragraphs, "utf-8")
    assert b"charset" not in data
    text, encoding = decode(data)
    assert encoding == "utf-8"
    assert paragraphs[2] in text
    article = copydesk.extract(data)
    assert article.title == "Tram line extension approved — finally"
    assert paragraphs_of(article) == paragraphs


@pytest.mark.parametrize("codec", ["gb2312", "gbk", "gb18030"])
def test_chinese_without_declaration(codec):
    data = page_bytes(CHINESE_TITLE, CHINESE, codec, lang="zh")
    assert b"charset" not in data and len("".join(CHINESE)) > 300
    text, encoding = decode(data)
    assert encoding in ("gb18030", "gbk", "gb2312"), encoding
    assert "\ufffd" not in text
    for p in CHINESE:
        assert p in text
    article = copydesk.extract(data)
    assert article.title == CHINESE_TITLE
    assert paragraphs_of(article) == CHINESE
    assert article.language.startswith("zh")


def test_shift_jis_without_declaration():
    data = page_bytes(JAPANESE_TITLE, JAPANESE, "shift_jis", lang="ja")
    assert b"charset" not in data
    text, encoding = decode(data)
    assert encoding in ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213"), encoding
    assert "\ufffd" not in text
    for p in JAPANESE:
        assert p in text
    article = copydesk.extract(data)
    assert article.title.split() == JAPANESE_TITLE.split()  # the U+3000 space may be normalised
    assert paragraphs_of(article) == JAPANESE


def test_chinese_without_lang_attribute_is_identified():
    data = article_page(CHINESE_TITLE, CHINESE).replace('lang="en"', "").encode("gbk")
    article = copydesk.extract(data)
    assert article.language.startswith("zh")


# --- broken input ------------------------------------------------------------------

def test_invalid_utf8_bytes_become_replacement_characters():
    paragraphs = list(ENGLISH_PARAGRAPHS)
    html = article_page("Tram line extension approved", paragraphs, head='<meta charset="utf-8">').encode("utf-8")
    broken = html.replace(b"four kilometres", b"four \xff\xfe kilometres").replace(b"three years", b"three \xc3 years")
    text, encoding = decode(broken)
    assert encoding == "utf-8"
    assert "four \ufffd\ufffd kilometres" in text
    assert "three \ufffd years" in text
    article = copydesk.extract(broken)
    assert "\ufffd" in article.text
    assert paragraphs_of(article)[3].endswith(paragraphs[3][-40:])


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 40,
    b"\xff" * 5000,
    b"<p>" + bytes(range(128, 256)) * 20 + b"</p>",
    b'<meta charset="no-such-charset"><p>' + "déjà vu".encode("latin-1") * 100 + b"</p>",
    b"\xef\xbb\xbf",  # a lone BOM
    b"",
])
def test_garbage_never_raises(data):
    text, encoding = decode(data)
    assert isinstance(text, str) and isinstance(encoding, str)
    assert "\x00" not in text
    try:
        result = copydesk.extract(data)
    except copydesk.InvalidInput:
        assert looks_binary(data, encoding)  # binary data is refused, with a clear error
        return
    assert result is None or isinstance(result, copydesk.Article)


def test_binary_input_is_refused_but_text_with_stray_controls_is_not():
    import random

    noise = random.Random(7).randbytes(5000)
    png = b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(3000)
    for data in (noise, png):
        with pytest.raises(copydesk.InvalidInput):
            copydesk.extract(data)
    page = b"<html><body><h1>Title</h1>" + b"<p>A paragraph of ordinary prose with a stray \x00 byte and a \x1b.</p>" * 40 + b"</body></html>"
    assert copydesk.extract(page) is not None
    assert copydesk.extract(b"\x00\x00") is None  # too short to judge: an empty page


# --- BOMs ----------------------------------------------------------------------

@pytest.mark.parametrize("bom, codec", [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_bom_wins(bom, codec):
    # A <meta> that says otherwise is ignored: the byte order mark decides.
    html = article_page(RUSSIAN_TITLE, RUSSIAN, lang="ru", head='<meta charset="windows-1251">')
    data = bom + html.encode(codec)
    text, encoding = decode(data)
    assert encoding == codec
    assert not text.startswith("\ufeff")
    assert RUSSIAN[0] in text
    article = copydesk.extract(data)
    assert article.title == RUSSIAN_TITLE
    assert paragraphs_of(article) == RUSSIAN


# --- NUL bytes --------------------------------------------------------------------

def test_nul_bytes_are_dropped():
    html = article_page("Tram line extension approved", ENGLISH_PARAGRAPHS).encode("utf-8")
    data = html.replace(b"tram line", b"tram\x00 line").replace(b"<p>", b"<p>\x00", 2)
    text, _ = decode(data)
    assert "\x00" not in text
    article = copydesk.extract(data)
    assert "\x00" not in article.to_json()
    assert paragraphs_of(article) == ENGLISH_PARAGRAPHS


def test_nul_in_str_input():
    html = article_page("Tram line extension approved", ENGLISH_PARAGRAPHS).replace("council", "coun\x00cil")
    article = copydesk.extract(html)
    assert "\x00" not in article.text
    assert paragraphs_of(article) == ENGLISH_PARAGRAPHS


# --- helpers -----------------------------------------------------------------------

@pytest.mark.parametrize("label, name", [
    ("ISO-8859-1", "cp1252"), ("latin1", "cp1252"), ("us-ascii", "cp1252"), ("GB2312", "gb18030"),
    ("gbk", "gb18030"), ("Shift_JIS", "cp932"), ("EUC-KR", "cp949"), ("utf8", "utf-8"), ("UTF-16", "utf-8"),
    ("windows-1251", "cp1251"), ("no-such-charset", None), ("", None), (None, None),
])
def test_normalise_label(label, name):
    assert normalise_label(label) == name


@pytest.mark.parametrize("value, label", [
    ("text/html; charset=EUC-KR", "EUC-KR"), ('text/html; charset="utf-8"', "utf-8"),
    ("text/html", None), ("", None), (None, None),
])
def test_charset_from_content_type(value, label):
    assert charset_from_content_type(value) == label


def test_text_saved_through_a_wrong_decoding_is_repaired():
    # UTF-8 read as windows-1252 and saved again: "’" became "â€™", a no-break space "Â ".
    clean = ["Zoho offers\u00a0a fully\u2011featured free edition \u2014 that\u2019s right, it\u2019s free.",
             *ENGLISH_PARAGRAPHS]
    broken = [p.encode("utf-8").decode("cp1252", errors="replace") for p in clean]
    assert "â€™" in broken[0]
    for html in (article_page("Free CRM", broken), article_page("Free CRM", broken).encode("utf-8")):
        text = copydesk.extract(html).text
        assert "that\u2019s right" in text and "â€" not in text


def test_a_few_accented_capitals_are_left_as_they_are():
    para = "Ã noite, o Â é raro: São Paulo e Lisboa votaram a favor do plano da câmara."
    text = copydesk.extract(article_page("Lisboa", [para, *ENGLISH_PARAGRAPHS])).text
    assert para in text


def test_text_mode_repairs_a_wrong_decoding_too():
    line = "The council met on Tuesday to discuss the transport plan \u2014 it\u2019s the city\u2019s biggest."
    broken = line.encode("utf-8").decode("cp1252", errors="replace")
    article = copydesk.extract_text("Transport plan\n" + "\n".join([broken] * 4))
    assert "it\u2019s the city\u2019s" in article.text and "â€" not in article.text


def test_a_utf8_label_on_bytes_with_no_utf8_in_them_is_passed_over():
    # windows-1252 served as UTF-8: "café" would become "caf\ufffd" (a few invalid
    # bytes alone keep the label: a UTF-8 page with some damage).
    html = article_page("Café", [p + " Le café est ouvert, élégant et célèbre." for p in ENGLISH_PARAGRAPHS]).encode("cp1252")
    assert "Le café est ouvert, élégant" in copydesk.extract(html, charset="utf-8").text
    # UTF-8 cut mid-character keeps its label: the rest is UTF-8.
    cut = article_page("Café", [p + " Le café est ouvert." for p in ENGLISH_PARAGRAPHS]).encode("utf-8") + b"\xc3"
    assert "Le café est ouvert" in copydesk.extract(cut, charset="utf-8").text


@pytest.mark.parametrize(
    "data, exact",
    [
        ("<p>Grüße, café</p>".encode("utf-8"), True),
        (codecs.BOM_UTF8 + b"<p>x</p>", False),  # the text loses the mark
        (b"<p>caf\xe9 au lait, avec des cro\xefssants</p>", False),  # not UTF-8 at all
        (b"<meta charset=utf-8><p>caf\xe9</p>", False),  # an invalid byte became U+FFFD
        (b"<p>a\x00b</p>", False),  # the NUL is dropped
        ("<p>\ufffd</p>".encode("utf-8"), False),  # a real U+FFFD: not told apart, so not claimed
    ],
)
def test_decode_page_says_when_text_is_the_bytes_own_utf8(data, exact):
    from copydesk.decode import decode_page

    text, encoding, same = decode_page(data)
    assert same is exact
    if same:
        assert text.encode("utf-8") == data


def test_parse_reads_the_bytes_only_when_no_fix_changed_the_text():
    from copydesk.parse import parse

    fine = "<html><head><title>T</title></head><body><p>Grüße</p></body></html>"
    assert parse(fine, None, fine.encode("utf-8")).html == parse(fine).html
    # An unclosed <title> is closed before the parse: bytes of the unfixed text would
    # put the whole page in the title.
    cut = "<html><head><title>Cut title<body><p>Body text</p></body></html>"
    tree = parse(cut, None, cut.encode("utf-8"))
    assert tree.css_first("title").text() == "Cut title"
    assert tree.body.text() == "Body text"


def test_transport_utf16_without_byte_order_mark():
    # Browsers honour UTF-16 from HTTP (not from a <meta>); before, the page was refused as binary.
    html = "<html><body><article><h1>Haushalt beschlossen</h1>" + "<p>Der Rat stimmte am Dienstag nach langer Debatte für den Haushalt.</p>" * 3 + "</article></body></html>"
    for codec, label in (("utf-16-le", "utf-16le"), ("utf-16-be", "UTF-16BE")):
        article = copydesk.extract(html.encode(codec), charset=label)
        assert article is not None and article.title == "Haushalt beschlossen"
    # A UTF-16 label on bytes with no NULs is a mislabel: not read as UTF-16.
    assert decode(html.encode("utf-8"), "utf-16le")[1] == "utf-8"


def test_undeclared_utf8_with_a_stray_byte_stays_utf8():
    page = "<html><body><article><h1>Budget approuvé</h1>" + "<p>Le conseil a approuvé le budget après un long débat — « une réussite ».</p>" * 6 + "</article></body></html>"
    data = page.encode("utf-8")
    at = data.index(b"</h1>") + 100
    text, encoding = decode(data[:at] + b"\xff" + data[at:])
    assert encoding == "utf-8" and "approuvé le budget après" in text and text.count("\ufffd") == 1
    # Legacy bytes are still detected: as UTF-8 they are nothing but invalid sequences.
    assert decode(page.encode("cp1252"))[1] != "utf-8"


def test_str_input_with_a_kept_byte_order_mark():
    # What requests' Response.text gives for a page with a BOM: the same article as the bytes.
    page = ("<!doctype html><html><head><meta charset=utf-8><title>Daily Gazette front page</title></head>"
            "<body><h1>Budget</h1><p>" + "The council approved the new budget after a long debate on Tuesday. " * 3 + "</p></body></html>")
    data = codecs.BOM_UTF8 + page.encode("utf-8")
    assert copydesk.extract(data.decode("utf-8")).to_json() == copydesk.extract(data).to_json()


@pytest.mark.parametrize("label", ["utf\x008", "utf-16\ud800", "utf\x0016"])
def test_a_charset_label_with_a_nul_or_a_lone_surrogate_is_ignored(label):
    # codecs.lookup raises ValueError for them, not LookupError: the page was lost.
    html = "<html><body><article><h1>Title</h1>" + "<p>A sentence of the article body, long enough.</p>" * 5 + "</article></body></html>"
    assert copydesk.extract(html.encode("utf-8"), charset=label) is not None
