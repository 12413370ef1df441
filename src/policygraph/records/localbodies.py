"""Local bodies (a province's or city's departments) named in lists of documents, as agencies.

The registry holds the central bodies and the 31 provincial governments; a list of documents
also names their departments (广东省财政厅, 深圳市地方金融监督管理局). These are minted on the
fly, kind ``local-agency``, under their provincial government (``org:subOrganizationOf``), with
ids derived from the government's and the department's: ``gd-fin`` (广东省财政厅),
``gd-shenzhen-lfsa`` (深圳市地方金融监督管理局). The English name is composed only where the
department is one of the common ones below; otherwise it reads ``Untranslated: {name}`` and the
id ends in a digest of the Chinese name, for a person to name. Names relative to an unnamed
place (省政府办公厅, 市财政局) cannot be placed and are not minted (:func:`relative`).

>>> bodies = LocalBodies([_gov("gd", "广东省", "People's Government of Guangdong Province")])
>>> a = bodies.mint("广东省财政厅")
>>> a.id, a.name_en, a.parent, a.kind
('gd-fin', 'Guangdong Provincial Department of Finance', 'gd-pg', 'local-agency')
>>> bodies.mint("深圳市地方金融监督管理局").name_en
'Shenzhen Municipal Local Financial Supervision and Administration Bureau'
>>> bodies.mint("上海证券交易所") is None, relative("市财政局"), relative("市场监管总局")
(True, True, False)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from policygraph.records.models import Agency
from policygraph.records.titles import BODY_ENDS

#: common departments: the province's name (厅) and a city's (局) → (id code, English name)
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "发展和改革委员会": ("drc", "Development and Reform Commission"),
    "发展改革委": ("drc", "Development and Reform Commission"),
    "工业和信息化厅": ("iit", "Department of Industry and Information Technology"),
    "工业和信息化局": ("iit", "Bureau of Industry and Information Technology"),
    "财政厅": ("fin", "Department of Finance"), "财政局": ("fin", "Finance Bureau"),
    "科学技术厅": ("st", "Department of Science and Technology"),
    "科技厅": ("st", "Department of Science and Technology"),
    "科学技术局": ("st", "Science and Technology Bureau"), "科技局": ("st", "Science and Technology Bureau"),
    "商务厅": ("com", "Department of Commerce"), "商务局": ("com", "Commerce Bureau"),
    "教育厅": ("edu", "Department of Education"), "教育局": ("edu", "Education Bureau"),
    "人力资源和社会保障厅": ("hrss", "Department of Human Resources and Social Security"),
    "人力资源和社会保障局": ("hrss", "Human Resources and Social Security Bureau"),
    "生态环境厅": ("ee", "Department of Ecology and Environment"),
    "生态环境局": ("ee", "Ecology and Environment Bureau"),
    "住房和城乡建设厅": ("hurd", "Department of Housing and Urban-Rural Development"),
    "住房和城乡建设局": ("hurd", "Housing and Urban-Rural Development Bureau"),
    "交通运输厅": ("tr", "Department of Transport"), "交通运输局": ("tr", "Transport Bureau"),
    "农业农村厅": ("ara", "Department of Agriculture and Rural Affairs"),
    "农业农村局": ("ara", "Agriculture and Rural Affairs Bureau"),
    "自然资源厅": ("nr", "Department of Natural Resources"),
    "自然资源局": ("nr", "Natural Resources Bureau"),
    "公安厅": ("ps", "Department of Public Security"), "公安局": ("ps", "Public Security Bureau"),
    "民政厅": ("ca", "Department of Civil Affairs"), "民政局": ("ca", "Civil Affairs Bureau"),
    "水利厅": ("wr", "Department of Water Resources"), "水务局": ("wr", "Water Affairs Bureau"),
    "文化和旅游厅": ("ct", "Department of Culture and Tourism"),
    "应急管理厅": ("em", "Department of Emergency Management"),
    "应急管理局": ("em", "Emergency Management Bureau"),
    "卫生健康委员会": ("hc", "Health Commission"), "卫生健康委": ("hc", "Health Commission"),
    "市场监督管理局": ("amr", "Administration for Market Regulation"),
    "地方金融监督管理局": ("lfsa", "Local Financial Supervision and Administration Bureau"),
    "统计局": ("stats", "Statistics Bureau"), "能源局": ("ea", "Energy Administration"),
    "数据局": ("data", "Data Bureau"), "审计厅": ("audit", "Audit Office"),
    "国有资产监督管理委员会": ("sasac", "State-owned Assets Supervision and Administration Commission"),
    "人民政府": ("pg", "People's Government"),
    "人民政府办公厅": ("pg-go", "General Office of the People's Government"),
}  # fmt: skip
#: cities often named without their province → (the province's id prefix, slug, English name)
CITIES: dict[str, tuple[str, str, str]] = {
    "深圳市": ("gd", "shenzhen", "Shenzhen"), "广州市": ("gd", "guangzhou", "Guangzhou"),
    "杭州市": ("zj", "hangzhou", "Hangzhou"), "宁波市": ("zj", "ningbo", "Ningbo"),
    "南京市": ("js", "nanjing", "Nanjing"), "苏州市": ("js", "suzhou", "Suzhou"),
    "武汉市": ("hb", "wuhan", "Wuhan"), "成都市": ("sc", "chengdu", "Chengdu"),
    "西安市": ("sn", "xian", "Xi'an"), "济南市": ("sd", "jinan", "Jinan"),
    "青岛市": ("sd", "qingdao", "Qingdao"), "沈阳市": ("ln", "shenyang", "Shenyang"),
    "大连市": ("ln", "dalian", "Dalian"), "厦门市": ("fj", "xiamen", "Xiamen"),
    "福州市": ("fj", "fuzhou", "Fuzhou"), "长沙市": ("hn", "changsha", "Changsha"),
    "郑州市": ("ha", "zhengzhou", "Zhengzhou"), "合肥市": ("ah", "hefei", "Hefei"),
    "哈尔滨市": ("hl", "harbin", "Harbin"), "长春市": ("jl", "changchun", "Changchun"),
    "昆明市": ("yn", "kunming", "Kunming"), "南昌市": ("jx", "nanchang", "Nanchang"),
    "贵阳市": ("gz", "guiyang", "Guiyang"), "南宁市": ("gx", "nanning", "Nanning"),
    "石家庄市": ("he", "shijiazhuang", "Shijiazhuang"), "太原市": ("sx", "taiyuan", "Taiyuan"),
    "兰州市": ("gs", "lanzhou", "Lanzhou"), "海口市": ("hi", "haikou", "Haikou"),
}  # fmt: skip
_PLAIN = re.compile(r"^[\u4e00-\u9fff（）]{2,40}$")
_RELATIVE = re.compile(
    r"^(?:省|市(?!场)|自治区|县|区|州)(?:人民)?(?:政府|[\u4e00-\u9fff]{1,20}(?:厅|局|委|委员会|办公室|办))"
)


def relative(name: str) -> bool:
    """Whether ``name`` names a body of a place it does not name (省政府办公厅, 市财政局)."""
    return bool(_RELATIVE.match(name.strip()))


def _gov(prefix: str, zh: str, en: str) -> Agency:
    """A provincial government entry as the registry holds it (for the examples and tests)."""
    return Agency(id=f"{prefix}-pg", acronym=f"{prefix.upper()}-PG", name_en=en,
                  name_zh=f"{zh}人民政府", kind="local-government")  # fmt: skip


def _adjective(name_en: str) -> str:
    """``People's Government of Guangdong Province`` → ``Guangdong Provincial``."""
    m = re.match(r"^People's Government of (.+?) Province$", name_en)
    if m:
        return f"{m[1]} Provincial"
    m = re.match(r"^People's Government of (.+)$", name_en)
    if m:
        return m[1]
    return name_en.removesuffix(" People's Government")


class LocalBodies:
    """Mints local agencies from names, under the provincial governments of the registry."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        #: a place's Chinese name (广东省, 北京市) → (id prefix, English adjective)
        self.places: dict[str, tuple[str, str]] = {}
        for a in agencies:
            if a.kind == "local-government" and a.parent is None and a.id.endswith("-pg"):
                place = a.name_zh.removesuffix("人民政府")
                self.places[place] = (a.id.removesuffix("-pg"), _adjective(a.name_en))
        self.minted: dict[str, Agency] = {}

    def mint(self, name: str) -> Agency | None:
        """The local agency ``name`` names, minted once; None if it is not one."""
        name = name.strip()
        if not _PLAIN.match(name):
            return None
        prefix, slug, place_en, rest = self._place(name)
        if prefix is None or not rest.endswith(BODY_ENDS):
            return None
        if slug is None and rest.startswith("人民政府"):
            return None  # the provincial government and its office are in the registry
        known = DEPARTMENTS.get(rest)
        code = known[0] if known else hashlib.sha1(name.encode()).hexdigest()[:6]
        rid = "-".join(p for p in (prefix, slug, code) if p)
        if rid in self.minted:
            return self.minted[rid]
        if known and known[0] == "pg-go":
            name_en = f"General Office of the {place_en} People's Government"
        elif known:
            name_en = f"{place_en} {known[1]}"
        else:
            name_en = f"Untranslated: {name}"
        agency = Agency(id=rid, acronym=rid.upper(), name_en=name_en, name_zh=name,
                        kind="local-agency", parent=f"{prefix}-pg")  # fmt: skip
        self.minted[rid] = agency
        return agency

    def _place(self, name: str) -> tuple[str | None, str | None, str, str]:
        """(province prefix, city slug, English adjective, the rest of the name)."""
        for place, (prefix, adjective) in self.places.items():
            if name.startswith(place):
                rest = name[len(place) :]
                city = next((c for c in CITIES if rest.startswith(c)), None)
                if city and CITIES[city][0] == prefix:
                    return (
                        prefix,
                        CITIES[city][1],
                        f"{CITIES[city][2]} Municipal",
                        rest[len(city) :],
                    )
                return prefix, None, adjective, rest
        city = next((c for c in CITIES if name.startswith(c)), None)
        if city and any(p == CITIES[city][0] for p, _ in self.places.values()):
            prefix, slug, english = CITIES[city]
            return prefix, slug, f"{english} Municipal", name[len(city) :]
        return None, None, "", ""
