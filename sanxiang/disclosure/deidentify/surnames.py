"""Chinese surnames: the common single-character ones and the compound ones (欧阳, 司马 …).

The single list covers the ~480 surnames that account for nearly all of the population in the
public-security household statistics; rarer surnames are found through the known people of a case.
"""

from __future__ import annotations

_SINGLE = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
    "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪"
    "简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎"
    "甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊"
    "仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿"
    "薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯"
    "元束檀衣信展阴昝智幸奉植衡富尧闭由缑佴糜贲宦蓟訾旷钮沃税荀郦琚郗凤洪贝水晏储邴隗巨竺台黑福续"
    "鄂滑过谭覃蔚桓鞠璩匡寿钭蔺荣门乜东米郇邗戚逄汲苍红郏景雒芮宁卜麴阮莘澹笪欧粘帖仉牧双闾闫路"
    "宓冒谯逢扶堵蒯郄禄铁占蹇菅钦靖习泮暴斐苻嵩汝梧承"
)

SINGLE_SURNAMES: frozenset[str] = frozenset(_SINGLE)

COMPOUND_SURNAMES: frozenset[str] = frozenset(
    (
        "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 百里 "
        "呼延 闻人 澹台 公冶 太史 申屠 钟离 宗政 濮阳 淳于 单于 赫连 万俟 司空 第五 拓跋 左丘 东郭 梁丘 "
        "公羊 谷梁 段干 乐正 漆雕 壤驷 公良 巫马 颛孙 子车 亓官 仲孙 羊舌 微生 鲜于 闾丘 夹谷 宰父 公西 "
        "司寇 太叔 叱干 纳兰 完颜 爱新 东门 北堂 即墨"
    ).split()
)


def surname_of(name: str) -> str:
    """The surname a pseudonym keeps: both characters of a compound surname, else the first."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def surname_at(text: str, index: int) -> str | None:
    """The surname starting at ``text[index]``, compound first, or None."""
    pair = text[index : index + 2]
    if pair in COMPOUND_SURNAMES:
        return pair
    char = text[index : index + 1]
    return char if char in SINGLE_SURNAMES else None
