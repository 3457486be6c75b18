"""Personal names: Han names starting with a common surname, X·Y names, Latin names in a name column."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.discovery.detectors.base import NO, Context, Detector, Kind, Result, as_bool, matches, unlabelled

# The most common single-character surnames (about 95% of the population) and the compound ones.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝"
    "路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕"
    "楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈"
    "晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉"
    "冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "令狐",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "端木",
        "西门",
        "独孤",
        "南宫",
        "万俟",
    ]
)
NAME_KINDS = (
    Kind(
        "chinese_name", "identity.name", 0.6, "2-4 Han characters starting with a common surname; X·Y names"
    ),
    Kind(
        "name",
        "identity.name",
        0.6,
        "capitalised given name and surname (Latin script) in a name column",
        needs_hint=True,
    ),
)
_HAN_NAME = r"^\p{Han}{2,4}$"
_DOT_NAME = r"^\p{Han}{1,10}[·•・]\p{Han}{1,10}$"
_LATIN_NAME = r"^[A-Z][a-z]+(?:[ '\-][A-Z][a-z]+){1,3}$"
_HAN_NAME_RE = re.compile(r"^[\u3400-\u9fff]{2,4}$")
_DOT_NAME_RE = re.compile(r"^[\u3400-\u9fff]{1,10}[·•・][\u3400-\u9fff]{1,10}$")
_LATIN_NAME_RE = re.compile(_LATIN_NAME)
_SURNAME_ARR = pa.array(sorted(SURNAMES))
_COMPOUND_ARR = pa.array(sorted(COMPOUND_SURNAMES))


def _name_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    idx = np.flatnonzero(matches(values, _HAN_NAME))
    if idx.size:
        sub = values.take(pa.array(idx))
        first = as_bool(pc.is_in(pc.utf8_slice_codeunits(sub, 0, 1), value_set=_SURNAME_ARR))
        two = as_bool(pc.is_in(pc.utf8_slice_codeunits(sub, 0, 2), value_set=_COMPOUND_ARR))
        long_ok = np.asarray(pc.utf8_length(sub)) >= 3
        label[idx[first | (two & long_ok)]] = 0
    return Result(label)


def _name_scalar(value: str, ctx: Context) -> int:
    v = value.strip()
    if _HAN_NAME_RE.match(v) and (v[0] in SURNAMES or (len(v) >= 3 and v[:2] in COMPOUND_SURNAMES)):
        return 0
    return NO


def _dot_name_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    label[matches(values, _DOT_NAME)] = 0
    return Result(label)


def _dot_name_scalar(value: str, ctx: Context) -> int:
    return 0 if _DOT_NAME_RE.match(value.strip()) else NO


def _latin_name_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    label[matches(values, _LATIN_NAME)] = 1
    return Result(label)


def _latin_name_scalar(value: str, ctx: Context) -> int:
    return 1 if _LATIN_NAME_RE.match(value.strip()) else NO


# --- detectors ---------------------------------------------------------------------------------

NAME = Detector("name", NAME_KINDS, 6, 16, "h", _name_vector, _name_scalar)

NAME_DOTTED = Detector(
    "name_dotted", NAME_KINDS, 5, 80, "h", _dot_name_vector, _dot_name_scalar, requires=("·", "•", "・")
)

NAME_LATIN = Detector(
    "name_latin", NAME_KINDS, 5, 64, "a", _latin_name_vector, _latin_name_scalar, hints=("chinese_name",)
)
