"""Redaction: personal data typed into free text is replaced before storage; what analysis needs
(places, institutions, help lines, ages, years, money, apps) stays verbatim."""

import json
from pathlib import Path

import pytest

from analysis.redaction import Redaction, RedactionResult, redact

DEV_PII = Path(__file__).resolve().parents[1] / "data" / "dev_pii.jsonl"


def assert_redacted(text: str, secret: str, placeholder: str) -> RedactionResult:
    result = redact(text)
    assert secret not in result.text, result.text
    assert f"[{placeholder}]" in result.text, result.text
    return result


# -- phones -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "phone",
    [
        "3017774455",
        "301 777 4455",
        "301 777 44 55",
        "301-777-4455",
        "301.777.4455",
        "+57 301 777 4455",
        "+573017774455",
        "(604) 444 1234",
        "604 444 1234",
        "(604) 444-12-34",
    ],
)
def test_colombian_phone_formats_are_redacted(phone):
    assert_redacted(f"si quieren me llaman al {phone} por la tarde", phone, "TELÉFONO")


def test_foreign_number_with_country_code():
    assert_redacted(
        "me escribe desde el +58 414 777 8899 de Venezuela", "+58 414 777 8899", "TELÉFONO"
    )


def test_old_seven_digit_landline_after_phone_word():
    assert_redacted(
        "Teléfono fijo: 444 77 88, preguntar por la coordinación", "444 77 88", "TELÉFONO"
    )


# -- identity documents ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("la acudiente con C.C. 42.777.321 firmó el acta", "42.777.321"),
        ("CC 1.128.777.654 de Medellín", "1.128.777.654"),
        ("mi cédula es 71777888", "71777888"),
        ("identificada con cédula de ciudadanía No. 1.037.777.222", "1.037.777.222"),
        ("el menor con TI 1023777456 no asistió", "1023777456"),
        ("tarjeta de identidad 1.001.777.999", "1.001.777.999"),
        ("NUIP 1019777001, niña de 7 años", "1019777001"),
        ("registro civil 1098777123 expedido en Bello", "1098777123"),
        ("pasaporte AR7771234 de nacionalidad venezolana", "AR7771234"),
        ("con PPT No. 7771234 vigente", "7771234"),
        ("cédula de extranjería 777123", "777123"),
        ("C.C.N° 1.128.777.000 de Bello", "1.128.777.000"),
    ],
)
def test_identity_numbers_are_redacted(text, number):
    assert_redacted(text, number, "DOCUMENTO")


# -- addresses ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "address",
    [
        "Cra 43A # 12-34",
        "Calle 107 No. 42B-18",
        "Cl. 50 #70-11",
        "Cll 32 # 65 - 20",
        "Carrera 80 N° 34-15 apto 502",
        "Kr 51 # 44-20",
        "Cr 70 # 1-25",
        "Diagonal 75B # 2A-80 interior 301",
        "Dg 63 No 40-11",
        "Transversal 39B # 74-20",
        "Tv 5 # 10-10",
        "Avenida 80 # 30-12",
        "Av. 33 # 65-20",
        "Circular 4 # 73-30",
    ],
)
def test_street_addresses_are_redacted(address):
    assert_redacted(f"la señora vive en la {address}, en el segundo piso", address, "DIRECCIÓN")


def test_home_described_by_a_private_landmark_is_redacted():
    text = "Vivimos en la casa blanca de dos pisos al lado de la miscelánea del señor Eusebio en Robledo."
    result = assert_redacted(text, "casa blanca de dos pisos al lado de la miscelánea", "DIRECCIÓN")
    assert "Robledo" in result.text


def test_home_described_after_a_distant_residence_verb():
    text = (
        "la niña vive con su tía en Belén, en la casa de ladrillo al frente del lavadero de carros"
    )
    result = assert_redacted(text, "al frente del lavadero de carros", "DIRECCIÓN")
    assert "Belén" in result.text


def test_home_near_a_public_place_is_not_an_address():
    text = "Vivo en una casa cerca de la Estación Acevedo y veo niñas solas de noche"
    assert redact(text).text == text


def test_manzana_and_block_apartment_are_redacted():
    assert_redacted(
        "vivo en la manzana 7 casa 14 de la urbanización", "manzana 7 casa 14", "DIRECCIÓN"
    )


# -- e-mail, handles, links, plates ------------------------------------------------------------
def test_email_is_redacted():
    assert_redacted(
        "mi correo es tatiana.rojas_07@hotmail.com", "tatiana.rojas_07@hotmail.com", "CORREO"
    )


def test_user_part_of_an_email_written_again_alone_is_redacted():
    result = redact("escríbanle a nati2011 al correo nati2011@gmail.com")
    assert "nati2011" not in result.text
    assert [r.type for r in result.redactions] == ["USUARIO", "CORREO"]


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("búsquenme como @nata.rincon_22 en insta", "@nata.rincon_22"),
        ("mi insta es sofi_bailarina07", "sofi_bailarina07"),
        ("en tiktok salgo como mafe.dance", "mafe.dance"),
        ("en Free Fire un man que se hace llamar Lobito2010 le pide fotos", "Lobito2010"),
    ],
)
def test_social_media_handles_are_redacted(text, handle):
    assert_redacted(text, handle, "USUARIO")


@pytest.mark.parametrize(
    "link",
    [
        "instagram.com/la.mona.123",
        "facebook.com/andres.gomez.777",
        "tiktok.com/@parcero.rumba",
        "wa.me/573007771234",
        "https://www.instagram.com/dayis.toro/",
        "www.perfilfalso.com/u/77",
    ],
)
def test_profile_links_are_redacted(link):
    assert_redacted(f"me escribió desde {link} ayer", link.rstrip("/"), "ENLACE")


@pytest.mark.parametrize("plate", ["KMN 456", "KMN456", "KMN-456", "RTY 12F", "RTY12F"])
def test_vehicle_plates_are_redacted(plate):
    assert_redacted(f"un carro gris de placa {plate} ronda el colegio", plate, "PLACA")


def test_lower_case_plate_after_the_word_placa():
    assert_redacted("la moto tenía placa bdf 34e y era roja", "bdf 34e", "PLACA")


# -- names -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("mi amiga valentina dice que le dan regalos", "valentina"),
        ("yo me llamo mariana y tengo 10 años", "mariana"),
        ("sebastian me molesta en el recreo", "sebastian"),
        ("mi primo estiven anda con unos manes", "estiven"),
    ],
)
def test_lower_case_names_written_by_children(text, name):
    result = assert_redacted(text, name, "NOMBRE")
    assert "[NOMBRE]" in result.text


def test_first_name_alone_keeps_the_role_word():
    result = redact("Mi vecina Gloria nos avisó del peligro")
    assert result.text == "Mi vecina [NOMBRE] nos avisó del peligro"


@pytest.mark.parametrize(
    "name",
    [
        "María José",
        "Juan Camilo Arboleda Ríos",
        "Luz Marina Cárdenas",
        "Yeison Andrés",
        "María de los Ángeles Pérez",
    ],
)
def test_compound_names_are_redacted_whole(name):
    result = redact(f"El caso lo reportó {name}, de la junta de acción comunal.")
    assert result.text.count("[NOMBRE]") == 1, result.text
    for part in name.split():
        if part[0].isupper():
            assert part not in result.text, result.text


@pytest.mark.parametrize(
    ("text", "nick"),
    [
        ("a la Yuli la recoge un señor en moto", "Yuli"),
        ("uno que le dicen el Flaco vende vicio en la esquina", "Flaco"),
        ("el tipo, alias el Zarco, paga a las niñas", "Zarco"),
        ("doña Chela vende empanadas al frente", "Chela"),
        ("un tal Yordan le escribe a mi hermana", "Yordan"),
        ("mi primo el Greñas anda con ese combo", "Greñas"),
        ("ayer le escribí a Yefrin y no contestó", "Yefrin"),
    ],
)
def test_nicknames_and_named_by_context(text, nick):
    assert_redacted(text, nick, "NOMBRE")


def test_creative_spellings_of_given_names():
    for name in ("Yeisson", "Jhoan", "Leidys", "Yurany"):
        assert_redacted(f"mi compañera dice que {name} tiene novio de 25", name, "NOMBRE")


# -- what must stay ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("en la comuna 13 y en la comuna 8 hay tours con niñas", ["comuna 13", "comuna 8"]),
        ("vivo en Aranjuez, cerca de Moravia y de Castilla", ["Aranjuez", "Moravia", "Castilla"]),
        (
            "en el corregimiento San Antonio de Prado y en Santa Elena",
            ["San Antonio de Prado", "Santa Elena"],
        ),
        ("en la vereda El Placer no hay transporte", ["El Placer"]),
        (
            "en el Parque Lleras, en Provenza, en el Parque Berrío, en la 70 y en la Oriental",
            ["Parque Lleras", "Provenza", "Parque Berrío", "la 70", "la Oriental"],
        ),
        ("en el Centro y en la estación del metro San Antonio", ["el Centro", "San Antonio"]),
        (
            "el ICBF, la Fiscalía, la Comisaría de Familia, la Personería, la Policía y el CAIVAS",
            ["ICBF", "Fiscalía", "Comisaría de Familia", "Personería", "Policía", "CAIVAS"],
        ),
        ("que la Alcaldía de Medellín financie el programa", ["Alcaldía de Medellín"]),
        (
            "llamen al 141, al 123 o al 122, o al 018000 918080",
            ["141", "123", "122", "018000 918080"],
        ),
        ("mi tío y mi abuela no saben", ["mi tío", "mi abuela"]),
        ("tengo 13 años y mi hermano 16 años", ["13 años", "16 años"]),
        ("eso pasó en 2019 y otra vez en 2023", ["2019", "2023"]),
        (
            "les ofrecen 50 mil o $200.000 o 1.500.000 pesos",
            ["50 mil", "$200.000", "1.500.000 pesos"],
        ),
        ("salen a las 11 de la noche y vuelven a las 3:30 am", ["11 de la noche", "3:30 am"]),
        (
            "por WhatsApp, Free Fire, TikTok, Instagram y Roblox les escriben",
            ["WhatsApp", "Free Fire", "TikTok", "Instagram", "Roblox"],
        ),
        ("la Institución Educativa Héctor Abad Gómez hizo un taller", ["Héctor Abad Gómez"]),
        ("los tours de Pablo Escobar atraen turistas", ["Pablo Escobar"]),
        ("el 20 de Julio hubo una marcha", ["20 de Julio"]),
        ("en Facebook hay un grupo que se llama Trabajos Fáciles", ["Trabajos Fáciles"]),
        (
            "la Red de Jóvenes de la Comuna 6 y la Mesa de Infancia",
            ["Red de Jóvenes", "Mesa de Infancia"],
        ),
    ],
)
def test_public_context_stays_verbatim(text, kept):
    result = redact(text)
    for item in kept:
        assert item in result.text, (item, result.text)
    assert result.redactions == [], result.text


def test_text_without_personal_data_is_unchanged():
    text = "Que en el colegio nos enseñen a no aceptar regalos de desconocidos en internet."
    result = redact(text)
    assert result.text == text
    assert result.redactions == []


# -- offsets -------------------------------------------------------------------------------------
TEXT = (
    "Soy Camila Duque, cel 3127778899, vivo en la Cra 45 # 10-20 y mi correo es cami.d@gmail.com."
)


def test_redaction_offsets_point_at_their_placeholders():
    result = redact(TEXT)
    types = [r.type for r in result.redactions]
    assert types == ["NOMBRE", "TELÉFONO", "DIRECCIÓN", "CORREO"]
    for r in result.redactions:
        assert isinstance(r, Redaction)
        assert result.text[r.start : r.end] == f"[{r.type}]"
    assert result.text.endswith(".")


def test_map_span_moves_clean_spans_and_refuses_redacted_ones():
    result = redact(TEXT)
    for word in ("Soy", "cel", "vivo en la", "y mi correo es"):
        start = TEXT.index(word)
        mapped = result.map_span(start, start + len(word))
        assert mapped is not None
        assert result.text[mapped[0] : mapped[1]] == word
    name_start = TEXT.index("Camila")
    assert result.map_span(name_start, name_start + 6) is None
    assert result.map_span(0, len(TEXT)) is None  # a span containing a redaction overlaps it
    phone_start = TEXT.index("3127778899")
    assert result.map_span(phone_start - 4, phone_start + 2) is None


def test_map_span_is_identity_when_nothing_was_redacted():
    result = redact("nada que ocultar aquí")
    assert result.map_span(5, 8) == (5, 8)


# -- development set -------------------------------------------------------------------------------
def test_dev_set_rates_meet_the_acceptance_thresholds():
    rows = [json.loads(line) for line in DEV_PII.read_text(encoding="utf-8").splitlines() if line]
    pii_total = pii_gone = keep_total = keep_kept = 0
    for row in rows:
        out = redact(row["text"]).text
        for secret, _type in row["pii"]:
            pii_total += 1
            pii_gone += secret not in out
        for item in row["keep"]:
            keep_total += 1
            keep_kept += item in out
    assert pii_total and keep_total
    assert pii_gone / pii_total >= 0.97, f"pii removed {pii_gone}/{pii_total}"
    assert keep_kept / keep_total >= 0.95, f"keep survived {keep_kept}/{keep_total}"
