"""Text normalisation shared by the matcher, the index and the provenance checks.

``fold`` makes text comparable across the ways people type it: case, Unicode
forms, Vietnamese diacritics (including đ), Cyrillic ё, punctuation and words run
together with digits. ``stem`` reduces English and Russian inflections so that
"students"/"student" and "студентов"/"студенты" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_SPLIT = re.compile(r"[^\w]+|_")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")  # any Cyrillic letter
_EN_STEMMER = snowballstemmer.stemmer("english")
_RU_STEMMER = snowballstemmer.stemmer("russian")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    if ch in "ёЁ":
        return "е"
    if "\u0400" <= ch <= "\u04ff":
        return ch.lower()  # keep й, ы…: the Russian stemmer needs them
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class _FoldTable(dict):
    """Code point -> folded text, filled in as characters are met (for ``str.translate``,
    which folds a whole text in one call instead of one call a character)."""

    def __missing__(self, codepoint: int) -> str:
        folded = self[codepoint] = _fold_char(chr(codepoint))
        return folded


_FOLD_TABLE = _FoldTable()


# a few recent texts: one question is folded by several readers (its kind, its topics, its
# language), each given the text as typed
@lru_cache(maxsize=128)
def fold(text: str) -> str:
    """Lowercase, diacritic-free, punctuation-free form of ``text`` with single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_TABLE)
    text = _LETTER_DIGIT.sub(" ", text)
    return " ".join(_SPLIT.split(text)).strip()


def fold_keep_marks(text: str) -> str:
    """Like ``fold`` but keeping diacritics, for short words only diacritics tell apart."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).lower())
    text = text.replace("ё", "е")
    return " ".join(_SPLIT.split(_LETTER_DIGIT.sub(" ", text))).strip()


def tokens(text: str) -> list[str]:
    return fold(text).split()


# Russian words the stemmer reads wrongly. Fleeting vowels: it cuts "послом" (ambassador) to
# "посл", which is also "после" (after), so these forms stem as "посол" ("о после" is left
# out: it is spelt like "после"). And "визит" (visit) would stem to "виз", as "виза" does.
_RU_STEMS = {
    **{f"посл{ending}": "посол" for ending in ("а", "у", "ом", "ы", "ов", "ам", "ами", "ах")},
    "визит": "визит",
    # "что обсуждали" is answered by "обсудили": the stemmer keeps the two aspects apart
    **{f"обсужда{ending}": "обсуд" for ending in ("л", "ла", "ли", "лось", "лись", "ют", "ет")},
}


# English verbs whose past is not their stem plus an ending: "when did the flight leave" is
# answered by "the flight left", "who did he meet" by "he met" (the stemmer keeps them apart)
_EN_IRREGULAR = {
    "left": "leave", "met": "meet", "came": "come", "went": "go", "began": "begin",
    "begun": "begin", "sold": "sell", "bought": "buy",
    "flew": "fly", "flown": "fly", "grew": "grow", "grown": "grow", "fell": "fall",
    "fallen": "fall", "made": "make", "gave": "give", "given": "give", "brought": "bring",
    "paid": "pay", "built": "build", "led": "lead", "spoke": "speak", "spoken": "speak",
    "told": "tell", "became": "become", "chose": "choose", "chosen": "choose",
    # the plural of a short title: "Belarusian PMs"
    "pms": "pm", "mps": "mp", "fms": "fm", "dpms": "dpm",
}  # fmt: skip


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    if CYRILLIC.search(token):
        return _RU_STEMS.get(token) or _RU_STEMMER.stemWord(token)
    token = _EN_IRREGULAR.get(token, token)
    if len(token) >= 4 and token.isalpha():
        return _EN_STEMMER.stemWord(token)
    return token


def stems(text: str) -> list[str]:
    return [stem(t) for t in tokens(text)]


# Words that carry no topic: question words, articles, politeness, in three languages
# (folded forms). "info"/"facts" are here so that "info" alone asks for the topic list.
FILLER_WORDS = frozenset(
    """
    a an the of and or in on at to for from by with about between into as is are was were be been
    what whats which who whom whose when where why how much many did do does done can could would
    should will shall may might tell me us show give list please pls plz any some there their its it
    this that these those have has had i you we they he she my your our get got know knew want need
    find info information facts fact detail details all more latest recent current so than then
    first last nine months month year years period time times figure figures number numbers
    cooperation cooperate field fields area areas sphere level
    also up over just only been being hey ok okay since ever else other others another before
    after earlier later s quick q rn lol btw pls thx bot such really realy actually exactly
    right correct true false wrong settle asking ask question questions answer quickly
    briefly short shortly stat stats number say said says talk about regarding concerning
    overall altogether total mostly main mainly kind sort like exist exists existing happen
    happened happening thing things something anything everything stuff way ways much big deal
    why even care write wrote writing piece segment class lesson memoir story
    article paper research report news fact-check check checking verify confirm true
    essay thesis dissertation homework assignment coursework chapter chapters deadline
    hello one ones go vs x th st nd rd recall remember held round around
    against send sent help helped don doesn didn isn aren wasn weren t match mean means meant
    still yet very each per via here look looks seem seems m ll re ve d now nowadays today
    la gi nao the nao bao nhieu co khong duoc cua va voi giua o tai trong ve cho toi minh ban hay
    xin vui long nhung cac mot nhu nam thi da dang se la ai khi nao sao vay a nhe
    biet muon can thang chin khac truoc sau con oi bot ko k dc hoi cau nhi nha ah u uh
    roi chua that su dung sai the nao nhe hop tac mo ta tot duoc
    thu xem giup cho hoi vay nhi ne minh nhe kieu lau ma e z j
    что как какой какая какие каков сколько где когда кто почему ли и а в во на о об у с со по для
    от до из за к ко между про мне меня нам расскажи расскажите скажи скажите покажи покажите
    пожалуйста
    есть был была были было это эти этот та тот информация инфо факты знаешь знаете можно ты
    вы мы месяц месяцев месяца девять первые год года году годы сотрудничество сфере сфера
    области уровне еще ещё другие другой раньше позже тогда насчет насчёт бот вопрос
    подскажи подскажите правда верно ли точно вообще всего итого кратко быстро ну вот
    получается интересно интересует хочу хотел хотела знать узнать помогала помогал помогли
    предлагала предлагал предлагали
    take took taken make made put let keep kept see saw seen use used back
    think thought believe heard hear read told tell account position stand stance
    daughter son child children kid kids wife husband mother father parent parents
    colleague colleagues boss editor anchor viewers readers
    her him his them ay ong он она они его ее её их ему ей им него нее неё них
    if whether dear sir madam am curious forgive message kindly grateful wonder wondering
    sorry excuse извините извини простите прости y kien
    describe describes described description characterise characterize characterised
    characterized continuity continue continued continues continuing change changed changes
    changing until till officials old early mid late openly publicly push pushed pushing
    signal signalled signaled articulate articulated interest interested upgrade upgraded
    upgrading appear appears appeared through following corresponding recorded designated
    bring brought admit admitted below above stuck era framed note noted called offer offered
    же тому периоду начали начал начала делают делает помимо
    представлял представляла нем должности должность собеседник собеседники
    регулирует открывают открывает
    nua cai ghi nguon diem hinh
    yes no будем будет будут то нибудь совместно двух обеих leadership
    мес разбивкой разбивка разбивку breakdown anywhere close
    would could might possible possibly perhaps maybe already ever also too just
    я вам вас здесь тут т д уважаемые уважаемый пишу помню заранее также тоже уже сих пор
    quy thua chan thanh phia
    ke sao tung cung phai nhau
    con em chau dang tom tat gom nhung gi lan may
    сейчас стал стала стало стали какое какую каким какой сделали говорил сказал
    сказала дочь сын ребенок ребёнок мой моя мои наш наша надо
    заключено заключены заключили кем кого кому чем чего чему каких какого какому
    different difference differ compare compared comparison versus start started starts begin
    began begun own owns owned split broken down n r u ur bc cuz coz tho ya yeah
    или больше меньше цифра цифры цифр цифрах разные разный разная разница пишет пишут писали
    сравни сравните сравнить сравнение проходил проходила проходили проходило состоялся
    состоялась состоялись любят любит нравится количество каличество скока скоко сколька
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    январь января январе февраль февраля феврале март марта марте апрель апреля апреле мая мае
    июнь июня июне июль июля июле август августа августе сентябрь сентября сентябре октябрь
    октября октябре ноябрь ноября ноябре декабрь декабря декабре
    nah nope yep yup lmao lmfao rofl cope wait hmm hm um lot lots bit pretty quite totally
    literally basically seriously honestly tbh ngl fr imo idk bruh ppl gonna wanna kinda sorta
    anyway anyways omg wtf well real rumour rumor rumours rumors someone somebody apparently
    supposedly allegedly amount amounts dollar dollars usd week weeks
    expect expected expecting hit million billion side sides
    two three four five six seven eight ten eleven twelve
    bai di choi
    but random ballpark fine smth sth atm haha hahaha reckon reckons myth
    roughly approximately approx around about nearly almost
    accurate accurately precise precisely particularly especially specifically exact legit
    top category categories категория категории категорий
    chart charts graph graphs spreadsheet slide slides presentation deck infographic term
    guy pic pics photo photos rocked dont doesnt didnt isnt arent wasnt werent cant wont im ive
    youre thats theyre
    примерно приблизительно около почти максимум минимум
    tam asap fyi source sources
    щас ща нас наши наших нашим наша короче типа блин плиз реально кстати вроде слышал
    слышала говорят скок там всякие всякое всякий типо чё че чо
    доллар доллары долларов долларах сумма сумму суммы неделя недели недель
    сторона стороны сторону стороне м го ом
    прошу просим уточнить уточните сообщить сообщите указать укажите предоставить
    предоставьте информацию имеющимся имеющиеся данным данные данных туда сюда численность
    территории опять снова нужна нужен нужно нужны замутили взять
    """.split()
)

GREETING_WORDS = frozenset(
    """
    hi hello hey hiya howdy greetings good morning afternoon evening day yo sup thanks thank
    thx ty cheers bye goodbye great cool nice
    chao xin buoi cam on
    привет здравствуйте здравствуй добрый день утро вечер доброе спасибо хай салют большое
    благодарю пока отлично
    bro dude mate buddy guys folks everyone appreciate appreciated helpful awesome perfect
    ok okay
    rat nhieu chuc ngay lanh tuyet voi hieu
    hope
    очень понятно ясно всё все помогли помог огромное супер
    privet zdravstvuyte zdravstvuite spasibo bolshoe poka dobryi dobriy den
    приветик приветики спасибки спс lot здарова здорово бро kinh
    merci beaucoup tks thks
    """.split()
)
