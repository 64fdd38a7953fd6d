#!/usr/bin/env python3
"""Blind fidelity corpus generator for the Ploomes CRM (public REST/OData API).

    python bench/fidelity/ploomes/generate.py --out DIR [--seed N]

Writes DIR/exports/<Entity>/page-NNNN.json: the exact bodies of
``GET https://public-api2.ploomes.com/<Entity>?$top=300&$skip=N&$orderby=Id[&$expand=...]``
as a harvester saves them, and DIR/expected.json (bench/fidelity/SCHEMA.md).

Written without reading the addon. Facts and guesses: README.md next to this file.
Python standard library only; deterministic for a given --seed.
"""

import argparse
import json
import os
import random
import shutil
import uuid
from datetime import datetime, timedelta, timezone

BASE_URL = "https://public-api2.ploomes.com"
PAGE_SIZE = 300
BRT = timezone(timedelta(hours=-3))  # Brasilia time, no DST since April 2019
BRST = timezone(timedelta(hours=-2))  # Brasilia summer time (before 2019)

# Ids that are referenced but exist nowhere (planted defects)
MISSING_OWNER_ID = 40099999
MISSING_TASK_USER_ID = 40099998
MISSING_COMPANY_ID = 40199999
MISSING_PRODUCT_ID = 40499999

# ---------------------------------------------------------------- reference data
FIRST_NAMES = [
    "Ana", "Bruno", "Carla", "Daniel", "Eduarda", "Felipe", "Gabriela", "Henrique", "Isabela",
    "João", "Karina", "Lucas", "Mariana", "Nicolas", "Olívia", "Paulo", "Quésia", "Rafael",
    "Sabrina", "Thiago", "Úrsula", "Vinícius", "Wesley", "Yasmin", "Zeca", "Beatriz", "Caio",
    "Débora", "Érica", "Fábio", "Giovana", "Heitor", "Igor", "Júlia", "Letícia", "Marcelo",
    "Natália", "Otávio", "Priscila", "Renata", "Sérgio", "Tatiane", "Valéria", "André", "Camila",
]
LAST_NAMES = [
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
    "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes",
    "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques",
    "Machado", "Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira",
]
COMPANY_STEMS = [
    "Metalúrgica", "Transportadora", "Agropecuária", "Construtora", "Distribuidora", "Farmácia",
    "Clínica", "Padaria", "Tecnologia", "Engenharia", "Comércio de Alimentos", "Indústria Têxtil",
    "Logística", "Consultoria", "Laboratório", "Móveis", "Auto Peças", "Editora", "Gráfica",
    "Cerâmica", "Laticínios", "Calçados", "Papelaria", "Ótica", "Academia",
]
COMPANY_NAMES = [
    "Horizonte", "Aurora", "Bandeirantes", "Cruzeiro", "Primavera", "Ipiranga", "Atlântico",
    "Guanabara", "Serra Azul", "Boa Vista", "Paraná", "Tropical", "Ouro Verde", "Nova Era",
    "São Jorge", "Estrela", "Pioneira", "Vale do Sol", "Rio Doce", "Três Marias", "Itaú",
    "Pantanal", "Araucária", "Cerrado", "Mantiqueira", "Capixaba", "Sertão", "Litoral",
]
COMPANY_SUFFIX = ["Ltda", "Ltda.", "S.A.", "EIRELI", "ME", "Ltda - EPP"]
ROLES = [(40017001, "Diretor Comercial"), (40017002, "Gerente de Compras"), (40017003, "Analista Financeiro"),
         (40017004, "CEO"), (40017005, "Coordenadora de TI"), (40017006, "Assistente Administrativo"),
         (40017007, "Engenheiro de Produção")]
# (Ploomes city id, name, state short, state id, DDD, CEP prefix)
CITIES = [
    (3550308, "São Paulo", "SP", 25, "11", "01"), (3304557, "Rio de Janeiro", "RJ", 19, "21", "20"),
    (3106200, "Belo Horizonte", "MG", 11, "31", "30"), (4106902, "Curitiba", "PR", 16, "41", "80"),
    (4314902, "Porto Alegre", "RS", 21, "51", "90"), (3509502, "Campinas", "SP", 25, "19", "13"),
    (2611606, "Recife", "PE", 17, "81", "50"), (2927408, "Salvador", "BA", 5, "71", "40"),
    (4205407, "Florianópolis", "SC", 24, "48", "88"), (5208707, "Goiânia", "GO", 9, "62", "74"),
    (3548500, "Santos", "SP", 25, "13", "11"), (3201308, "Cariacica", "ES", 8, "27", "29"),
]
STATE_NAMES = {"SP": "São Paulo", "RJ": "Rio de Janeiro", "MG": "Minas Gerais", "PR": "Paraná",
               "RS": "Rio Grande do Sul", "PE": "Pernambuco", "BA": "Bahia", "SC": "Santa Catarina",
               "GO": "Goiás", "ES": "Espírito Santo"}
STREETS = ["Av. Paulista", "Rua XV de Novembro", "Rua das Flores", "Av. Brasil", "Rua Sete de Setembro",
           "Av. Getúlio Vargas", "Rua Dom Pedro II", "Rua Barão do Rio Branco", "Av. Atlântica",
           "Rua Tiradentes", "Av. Presidente Vargas", "Rua Marechal Deodoro"]
NEIGHBORHOODS = ["Centro", "Bela Vista", "Jardins", "Savassi", "Batel", "Moinhos de Vento", "Boa Viagem",
                 "Pituba", "Trindade", "Setor Bueno", "Gonzaga", "Campo Grande"]
PHONE_TYPES = {1: "Comercial", 2: "Celular", 3: "Residencial"}
PRODUCT_CATALOG = {
    # family -> group -> products (name, code prefix, price range)
    "Software": {
        "Licenças": [("Licença ERP Básico", 890), ("Licença ERP Profissional", 1490), ("Licença CRM Usuário", 120),
                     ("Licença BI Analytics", 340), ("Licença Mobile Vendas", 75), ("Licença Fiscal NF-e", 210),
                     ("Licença Estoque Avançado", 260), ("Licença RH Folha", 310)],
        "Assinaturas": [("Assinatura Cloud Mensal", 450), ("Assinatura Backup 1TB", 99.9),
                        ("Assinatura Suporte Premium", 780), ("Assinatura Portal do Cliente", 150),
                        ("Assinatura API Gateway", 520), ("Assinatura Certificado Digital A1", 89.9),
                        ("Assinatura Armazenamento Extra 100GB", 39.9)],
    },
    "Serviços": {
        "Implantação": [("Implantação Padrão", 4500), ("Implantação Personalizada", 12800),
                        ("Migração de Dados", 3200), ("Parametrização Fiscal", 2750.5), ("Integração Bancária", 1980)],
        "Treinamento": [("Treinamento Presencial (diária)", 1800), ("Treinamento Online (hora)", 180),
                        ("Workshop de Processos", 2400), ("Certificação de Usuário", 650)],
        "Consultoria": [("Consultoria Técnica (hora)", 260), ("Consultoria Tributária (hora)", 390),
                        ("Diagnóstico de Processos", 5600), ("Auditoria de Cadastro", 1350),
                        ("Consultoria LGPD (pacote)", 7200)],
    },
    "Hardware": {
        "Equipamentos": [("Coletor de Dados Android", 2890), ("Impressora Térmica 80mm", 749.9),
                         ("Leitor de Código de Barras", 389), ("Balança Checkout", 1590),
                         ("Terminal PDV Completo", 5490), ("Gaveta de Dinheiro", 420), ("Nobreak 1500VA", 980),
                         ("Etiquetadora Industrial", 3150), ("Monitor Touch 15\"", 1290), ("Tablet Robusto 10\"", 2380),
                         ("Cabo Serial DB9 (metro)", 12.5)],
    },
}
GROUP_CODES = {"Licenças": "LIC", "Assinaturas": "ASS", "Implantação": "IMP", "Treinamento": "TRE",
               "Consultoria": "CON", "Equipamentos": "EQP"}
DEAL_TOPICS = ["Projeto ERP", "Renovação de licenças", "Expansão de usuários", "Implantação CRM",
               "Treinamento equipe", "Migração para nuvem", "Upgrade de hardware", "Consultoria fiscal",
               "Integração bancária", "Pacote de suporte", "Automação de vendas", "Projeto BI"]
TASK_TITLES = {
    1: ["Enviar proposta revisada", "Preparar contrato", "Atualizar cadastro", "Conferir documentação"],
    2: ["Ligar para follow-up", "Ligação de qualificação", "Retornar ligação", "Confirmar recebimento"],
    3: ["Reunião de apresentação", "Reunião de alinhamento", "Demonstração do sistema", "Reunião de fechamento"],
    4: ["Enviar e-mail com material", "E-mail de boas-vindas", "Responder dúvidas por e-mail"],
    5: ["Visita técnica", "Visita comercial", "Visita de implantação"],
}
TASK_TYPES = [(1, "Tarefa"), (2, "Ligação"), (3, "Reunião"), (4, "E-mail"), (5, "Visita")]
ODOO_ACTIVITY_TYPE = {1: "To-Do", 2: "Call", 3: "Meeting", 4: "Email"}  # 5 Visita: no standard type


# ---------------------------------------------------------------- helpers
def strip_accents(text):
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text):
    out = "".join(c if c.isalnum() else "." for c in strip_accents(text).lower())
    while ".." in out:
        out = out.replace("..", ".")
    return out.strip(".")


def cpf_digits(base9):
    d = [int(c) for c in base9]
    for n in (10, 11):
        s = sum(v * w for v, w in zip(d, range(n, 1, -1)))
        r = (s * 10) % 11
        d.append(0 if r == 10 else r)
    return "".join(map(str, d))


def cnpj_digits(base12):
    d = [int(c) for c in base12]
    for weights in ([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]):
        s = sum(v * w for v, w in zip(d, weights))
        r = s % 11
        d.append(0 if r < 2 else 11 - r)
    return "".join(map(str, d))


def fmt_cpf(d):
    return f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}"


def fmt_cnpj(d):
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"


def valid_cpf(d):
    return len(d) == 11 and d.isdigit() and len(set(d)) > 1 and cpf_digits(d[:9]) == d


def valid_cnpj(d):
    return len(d) == 14 and d.isdigit() and len(set(d)) > 1 and cnpj_digits(d[:12]) == d


def iso(dt, style="plain"):
    """Ploomes-like ISO 8601 text: offset -03:00 (default), with milliseconds, or UTC 'Z'."""
    if style == "z":
        return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if style == "ms":
        text += f".{dt.microsecond // 1000:03d}"
    off = dt.utcoffset()
    minutes = int(off.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def utc_minute(dt):
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")


def e164(ddd, number):
    return f"+55{ddd}{number}"


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.seed = seed
        self.records = []  # expected records
        self.review = []
        self.not_expected = []
        self.counts = {}
        self.planted = []  # (what, where) for the README / report
        self._used_names = set()
        self._used_docs = set()

    # --------------------------------------------------------------- misc
    def guid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4)).upper()

    def when(self, start=datetime(2021, 1, 1, tzinfo=BRT), days=1300):
        dt = start + timedelta(days=self.rng.randint(0, days), seconds=self.rng.randint(8 * 3600, 19 * 3600))
        return dt.replace(microsecond=self.rng.randint(0, 999) * 1000)

    def stamp(self, dt):
        r = self.rng.random()
        return iso(dt, "z" if r < 0.07 else "ms" if r < 0.55 else "plain")

    def new_cpf(self):
        while True:
            d = cpf_digits("".join(str(self.rng.randint(0, 9)) for _ in range(9)))
            if d not in self._used_docs and len(set(d)) > 1:
                self._used_docs.add(d)
                return d

    def new_cnpj(self):
        while True:
            d = cnpj_digits("".join(str(self.rng.randint(0, 9)) for _ in range(8)) + "0001")
            if d not in self._used_docs and len(set(d)) > 1:
                self._used_docs.add(d)
                return d

    def phone(self, ddd, mobile, style=None):
        if mobile:
            num = "9" + "".join(str(self.rng.randint(0, 9)) for _ in range(8))
            loc = f"{num[:5]}-{num[5:]}"
        else:
            num = str(self.rng.randint(2, 5)) + "".join(str(self.rng.randint(0, 9)) for _ in range(7))
            loc = f"{num[:4]}-{num[4:]}"
        styles = ["paren", "paren", "paren", "space", "intl", "digits", "trunk", "intl_paren", "0xx"]
        style = style or self.rng.choice(styles)
        text = {
            "paren": f"({ddd}) {loc}",
            "space": f"{ddd} {loc}",
            "intl": f"+55 {ddd} {loc}",
            "digits": f"{ddd}{num}",
            "trunk": f"(0{ddd}) {loc}",
            "intl_paren": f"+55 ({ddd}) {loc}",
            "0xx": f"0xx{ddd} {loc}",
        }[style]
        return text, e164(ddd, num), int(f"{ddd}{num}")

    def add(self, model, match, values, source):
        self.records.append({"model": model, "match": match, "values": values, "source": source})

    def plant(self, what, where):
        self.planted.append({"defect": what, "where": where})

    # --------------------------------------------------------------- entities
    def build(self):
        self.build_users()
        self.build_catalogues()
        self.build_fields()
        self.build_contacts()
        self.build_products()
        self.build_deals()
        self.build_quotes_orders()
        self.build_tasks()
        self.build_not_expected()

    def build_users(self):
        rng = self.rng
        users = []
        names = set()
        while len(names) < 12:
            names.add(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
        for i, name in enumerate(sorted(names)):
            uid = 40000001 + i
            email = slug(name) + "@vendasbrasil.com.br"
            created = self.when(datetime(2019, 6, 1, tzinfo=BRT), 500)
            u = {
                "Id": uid, "Name": name, "Email": email, "AvatarUrl": None,
                "Suspended": False, "ProfileId": 1 if i == 0 else 2,
                "CreateDate": self.stamp(created),
                "LastUpdateDate": self.stamp(created + timedelta(days=rng.randint(1, 900))),
                "LastLogin": self.stamp(created + timedelta(days=rng.randint(900, 1500))),
            }
            users.append(u)
        # planted: suspended user, mixed-case e-mail
        users[4]["Suspended"] = True
        self.suspended_user = users[4]
        users[7]["Email"] = users[7]["Email"].title().replace("@Vendasbrasil.Com.Br", "@VendasBrasil.com.br")
        self.plant("suspended Ploomes user (res.users archived; owner review)", f"Users Id={users[4]['Id']}")
        self.plant("user e-mail in mixed case (login must be matched case-insensitively)", f"Users Id={users[7]['Id']}")
        self.users = users
        self.user_by_id = {u["Id"]: u for u in users}
        self.active_users = [u for u in users if not u["Suspended"]]
        for u in users:
            match = {"login": u["Email"].lower()}
            if u["Suspended"]:
                match["active"] = False
            self.add("res.users", match, {"name": u["Name"], "active": not u["Suspended"]},
                     f"Users/page-0001.json:Id={u['Id']}")
        self.counts["res.users"] = len(users)

    def build_catalogues(self):
        rng = self.rng
        self.contact_types = [{"Id": 1, "Name": "Empresa"}, {"Id": 2, "Name": "Pessoa"}]
        self.deal_status = [{"Id": 1, "Name": "Em aberto"}, {"Id": 2, "Name": "Ganho"}, {"Id": 3, "Name": "Perdido"}]
        self.phone_types = [{"Id": k, "Name": v} for k, v in PHONE_TYPES.items()]
        self.task_types = [{"Id": i, "Name": n, "Icon": None, "Color": None} for i, n in TASK_TYPES]
        self.approval_status = [{"Id": 1, "Name": "Não enviada para aprovação"}, {"Id": 2, "Name": "Em aprovação"},
                                {"Id": 3, "Name": "Aprovada"}, {"Id": 4, "Name": "Reprovada"}]
        # pipelines and stages
        spec = [("Vendas Diretas", ["Prospecção", "Qualificação", "Proposta", "Negociação", "Fechamento"]),
                ("Parcerias e Revendas", ["Contato inicial", "Proposta", "Contrato"])]
        self.pipelines, self.stages = [], []
        sid = 40011001
        t0 = datetime(2020, 2, 3, 9, 0, tzinfo=BRT)
        for pi, (pname, snames) in enumerate(spec):
            pid = 40010001 + pi
            self.pipelines.append({
                "Id": pid, "Name": pname, "SingularUnitName": "Negócio", "PluralUnitName": "Negócios",
                "GenderId": 1, "Color": ["#2B7FD9", "#16A085"][pi], "IconId": 1, "Ordination": pi,
                "Archived": False, "MayWinDeals": True, "MayLoseDeals": True, "MayCreateQuotes": True,
                "MayCreateOrders": True, "WinDealOnLastStage": False, "MustPassAllStages": False,
                "ForbiddenStageReturn": False, "LastUpdateDate": iso(t0 + timedelta(days=30 * pi)),
            })
            self.add("crm.team", {"name": pname}, {}, f"Deals@Pipelines/page-0001.json:Id={pid}")
            for o, sname in enumerate(snames):
                self.stages.append({"Id": sid, "Name": sname, "PipelineId": pid, "Ordination": o,
                                    "LastPipelineStage": o == len(snames) - 1, "TriggerId": None})
                self.add("crm.stage", {"name": sname, "team_id": pname}, {},
                         f"Deals@Stages/page-0001.json:Id={sid}")
                sid += 1
        self.plant("two pipelines share a stage name ('Proposta'): one crm.stage per team",
                   "Deals@Stages")
        self.counts["crm.team"] = len(self.pipelines)
        self.counts["crm.stage"] = len(self.stages)
        self.pipeline_by_id = {p["Id"]: p for p in self.pipelines}
        self.stage_by_id = {s["Id"]: s for s in self.stages}
        reasons = [("Preço acima do orçamento", None), ("Escolheu a concorrência", None),
                   ("Sem retorno do cliente", None), ("Projeto adiado", 40010001),
                   ("Revenda descredenciada", 40010002)]
        self.loss_reasons = [{"Id": 40012001 + i, "Name": n, "PipelineId": p,
                              "LastUpdateDate": iso(t0 + timedelta(days=3 * i))} for i, (n, p) in enumerate(reasons)]
        self.loss_by_id = {r["Id"]: r for r in self.loss_reasons}
        # tags: EntityId 1 = contacts, 2 = deals
        tags = [("VIP", 1, "#F1C40F"), ("Inadimplente", 1, "#E74C3C"), ("Parceiro", 1, "#2ECC71"),
                ("Newsletter", 1, "#3498DB"), ("Prioridade", 1, "#9B59B6"),
                ("Urgente", 2, "#E67E22"), ("Upsell", 2, "#1ABC9C"), ("Indicação", 2, "#34495E"),
                ("Prioridade", 2, "#8E44AD")]
        self.tags = [{"Id": 40006001 + i, "Name": n, "Color": c, "EntityId": e} for i, (n, e, c) in enumerate(tags)]
        self.contact_tags = [t for t in self.tags if t["EntityId"] == 1]
        self.deal_tags = [t for t in self.tags if t["EntityId"] == 2]
        self.tag_by_id = {t["Id"]: t for t in self.tags}
        self.plant("tag name 'Prioridade' exists for contacts AND for deals (res.partner.category vs crm.tag)",
                   "Tags")
        self.counts["crm.lost.reason"] = len(self.loss_reasons)
        self.counts["crm.tag"] = len(self.deal_tags)
        self.counts["res.partner.category"] = len(self.contact_tags)

    def build_fields(self):
        """The /Fields catalogue (dynamic = custom fields) with Type and OptionsTable expanded."""
        types = {
            1: ("Texto simples", "String"), 2: ("Texto multilinha", "BigString"), 3: ("Número inteiro", "Integer"),
            4: ("Número decimal", "Decimal"), 5: ("Data", "DateTime"), 7: ("Opções pré-cadastradas", "Integer"),
            10: ("Verdadeiro ou falso", "Bool"),
        }
        fid = [40015001]
        tid = [40016001]
        oid = [40016101]
        self.fields = []
        self.field = {}  # (entity, label) -> field dict

        def add(entity_id, prefix, name, type_id, options=None, dynamic=True, key=None):
            f_id = fid[0]
            fid[0] += 1
            table = None
            if options:
                table = {"Id": tid[0], "Name": name, "Options": []}
                for o in options:
                    table["Options"].append({"Id": oid[0], "TableId": tid[0], "Name": o, "ExternalKey": None})
                    oid[0] += 1
                tid[0] += 1
            tname, native = types[type_id]
            field = {
                "Id": f_id, "Key": key or f"{prefix}_{self.guid()}", "Name": name, "EntityId": entity_id,
                "TypeId": type_id, "Dynamic": dynamic, "Required": False, "Unique": False, "Hidden": False,
                "Multiple": False, "OptionsTableId": table["Id"] if table else None,
                "Type": {"Id": type_id, "Name": tname, "NativeType": native},
                "OptionsTable": table,
                "LastUpdateDate": iso(datetime(2020, 3, 1, 10, 0, tzinfo=BRT) + timedelta(hours=f_id % 97)),
            }
            self.fields.append(field)
            if dynamic:
                self.field[(entity_id, name)] = field
            return field

        # a few native (non-dynamic) fields, as GET /Fields returns them too
        add(1, "contact", "Nome", 1, dynamic=False, key="contact_name")
        add(1, "contact", "E-mail", 1, dynamic=False, key="contact_email")
        add(2, "deal", "Título", 1, dynamic=False, key="deal_title")
        add(2, "deal", "Valor", 4, dynamic=False, key="deal_amount")
        # custom fields of Contacts (EntityId 1)
        add(1, "contact", "Segmento", 7, ["Indústria", "Varejo", "Serviços", "Agronegócio", "Tecnologia"])
        add(1, "contact", "Qtd. de filiais", 3)
        add(1, "contact", "Faturamento anual", 4)
        add(1, "contact", "Cliente desde", 5)
        add(1, "contact", "Aceita newsletter", 10)
        add(1, "contact", "Inscrição Estadual", 1)
        # custom fields of Deals (EntityId 2)
        add(2, "deal", "Origem do lead", 7, ["Site", "Indicação", "Evento", "Outbound", "Google Ads"])
        add(2, "deal", "Nº de licenças", 3)
        add(2, "deal", "Desconto negociado (%)", 4)
        add(2, "deal", "Previsão de fechamento", 5)
        add(2, "deal", "Contrato assinado", 10)
        add(2, "deal", "Observações internas", 2)
        self.fields.sort(key=lambda f: f["Id"])

    def other_prop(self, owner_key, owner_id, entity, label, value, drop_name=False):
        f = self.field[(entity, label)]
        prop = {
            "Id": None, "FieldId": f["Id"], "FieldKey": f["Key"], owner_key: owner_id,
            "StringValue": None, "BigStringValue": None, "IntegerValue": None, "DecimalValue": None,
            "DateTimeValue": None, "BoolValue": None, "ObjectValueId": None, "ObjectValueName": None,
            "UserValueId": None, "UserValueName": None, "UserValueAvatarUrl": None, "ProductValueId": None,
            "ProductValueName": None, "AttachmentValueId": None, "AttachmentValueName": None,
            "ContactValueId": None, "ContactValueName": None, "ContactValueTypeId": None,
            "ContactValueRegister": None, "CurrencyValueId": None,
            "AttachmentItemValueId": None, "AttachmentItemValueName": None,
        }
        self._prop_id = getattr(self, "_prop_id", 3766000) + 1
        prop["Id"] = self._prop_id
        native = f["Type"]["NativeType"]
        if f["OptionsTable"]:
            opt = next(o for o in f["OptionsTable"]["Options"] if o["Name"] == value)
            prop["IntegerValue"] = opt["Id"]
            prop["ObjectValueId"] = opt["Id"]
            prop["ObjectValueName"] = None if drop_name else opt["Name"]
            expected = opt["Name"]
        elif native == "String":
            prop["StringValue"] = value
            expected = value
        elif native == "BigString":
            prop["BigStringValue"] = value
            expected = value
        elif native == "Integer":
            prop["IntegerValue"] = value
            expected = value
        elif native == "Decimal":
            prop["DecimalValue"] = value
            expected = value
        elif native == "DateTime":
            dt, style = value
            prop["DateTimeValue"] = iso(dt, style)
            expected = dt.strftime("%Y-%m-%d")
        elif native == "Bool":
            prop["BoolValue"] = value
            expected = value
        return prop, f"x:{label}", expected

    # --------------------------------------------------------------- contacts
    def unique(self, make):
        for _ in range(1000):
            v = make()
            if v not in self._used_names:
                self._used_names.add(v)
                return v
        raise RuntimeError("names exhausted")

    def address(self, rec, city):
        rng = self.rng
        cid, cname, short, state_id, ddd, cep = city
        zip_digits = cep + "".join(str(rng.randint(0, 9)) for _ in range(6))
        rec["StreetAddress"] = rng.choice(STREETS)
        rec["StreetAddressNumber"] = str(rng.randint(10, 3999))
        rec["StreetAddressLine2"] = rng.choice([None, None, "Sala " + str(rng.randint(1, 120)), "Bloco B"])
        rec["Neighborhood"] = rng.choice(NEIGHBORHOODS)
        rec["ZipCode"] = int(zip_digits)  # a number in the API: leading zeros are lost
        rec["CityId"] = cid
        rec["StateId"] = state_id
        rec["CountryId"] = 76
        rec["City"] = {"Id": cid, "Name": cname, "CountryId": 76, "StateId": state_id,
                       "IBGECode": cid, "LastUpdateDate": None, "Editable": False}
        rec["State"] = {"Id": state_id, "Name": STATE_NAMES[short], "CountryId": 76, "Short": short}
        return {
            "street": f"{rec['StreetAddress']}, {rec['StreetAddressNumber']}",
            "city": cname, "state_id": f"BR-{short}", "country_id": "BR",
            "zip": f"{zip_digits[:5]}-{zip_digits[5:]}",
        }

    def base_contact(self, cid, type_id, created):
        return {
            "Id": cid, "Name": None, "LegalName": None, "TypeId": type_id, "Register": None, "CNPJ": None,
            "CPF": None, "CompanyId": None, "Email": None, "Website": None, "Note": None, "Birthday": None,
            "RoleId": None, "Role": None, "DepartmentId": None, "StatusId": 1, "OriginId": None,
            "LineOfBusinessId": None, "NumberOfEmployeesId": None, "OwnerId": None,
            "StreetAddress": None, "StreetAddressNumber": None, "StreetAddressLine2": None,
            "Neighborhood": None, "ZipCode": None, "CityId": None, "StateId": None, "CountryId": None,
            "City": None, "State": None, "Phones": [], "Tags": [], "OtherProperties": [],
            "CreatorId": None, "UpdaterId": None,
            "CreateDate": None, "LastUpdateDate": None,
        }

    def build_contacts(self):
        rng = self.rng
        n_companies, n_people = 128, 276
        companies, people = [], []
        next_id = [40100001]

        def nid():
            v = next_id[0]
            next_id[0] += rng.choice([1, 1, 1, 2, 3])  # deleted contacts leave gaps
            return v

        self.contacts = []
        self.contact_expect = {}
        phone_id = [40020001]
        tagrel_id = [40021001]

        def add_phone(rec, ddd, mobile, style=None):
            text, e, search = self.phone(ddd, mobile, style)
            tid = 2 if mobile else 1
            rec["Phones"].append({"Id": phone_id[0], "ContactId": rec["Id"], "PhoneNumber": text,
                                  "SearchPhoneNumber": search, "TypeId": tid, "CountryId": 76,
                                  "Type": {"Id": tid, "Name": PHONE_TYPES[tid]}})
            phone_id[0] += 1
            return e

        def add_tags(rec, pool, k):
            chosen = rng.sample(pool, k)
            for t in chosen:
                rec["Tags"].append({"Id": tagrel_id[0], "TagId": t["Id"], "ContactId": rec["Id"],
                                    "DealId": None, "TaskId": None, "NoteId": None,
                                    "InteractionRecordId": None, "LeadId": None})
                tagrel_id[0] += 1
            return [t["Name"] for t in chosen]

        owners = [u["Id"] for u in self.active_users]
        order = []  # creation order: company followed by some of its people
        people_per_company = [0] * n_companies
        for _ in range(n_people - 4):  # 4 special persons added below
            people_per_company[rng.randrange(n_companies)] += 1
        for ci in range(n_companies):
            order.append(("company", ci))
            for _ in range(people_per_company[ci]):
                order.append(("person", ci))
        # special persons, placed early so they land on page 1
        order.insert(5, ("person_missing_company", None))
        order.insert(9, ("person_late_company", None))
        order.insert(14, ("person_no_cpf", None))
        order.insert(20, ("person_bad_email", None))
        order.append(("late_company", None))

        created = datetime(2019, 8, 1, 9, 0, tzinfo=BRT)
        company_recs = {}
        late_company = None
        pending_late = []
        bad_cnpj_slots = {7, 41}
        zero_cnpj_slot = 63
        digits_only_slots = set(rng.sample(range(n_companies), 14))
        bad_cpf_slots, ones_cpf_slot = set(), None
        person_counter = 0
        for kind, ci in order:
            created += timedelta(hours=rng.randint(2, 70), minutes=rng.randint(0, 59))
            cid = nid()
            if kind in ("company", "late_company"):
                rec = self.base_contact(cid, 1, created)
                name = self.unique(lambda: f"{rng.choice(COMPANY_STEMS)} {rng.choice(COMPANY_NAMES)} "
                                           f"{rng.choice(COMPANY_SUFFIX)}")
                rec["Name"] = name
                rec["LegalName"] = name.upper()
                city = rng.choice(CITIES)
                exp = {"name": name, "is_company": True}
                exp.update(self.address(rec, city))
                d = self.new_cnpj()
                slot = ci if kind == "company" else -1
                src = f"Contacts:Id={cid}"
                if slot in bad_cnpj_slots:
                    bad = d[:13] + str((int(d[13]) + 3) % 10)
                    rec["CNPJ"] = fmt_cnpj(bad)
                    exp["vat"] = None
                    self.review.append({"value": fmt_cnpj(bad), "why": "CNPJ check digits are wrong (company "
                                        f"'{name}'): not written to vat"})
                    self.plant("invalid CNPJ check digits", src)
                elif slot == zero_cnpj_slot:
                    rec["CNPJ"] = "00.000.000/0000-00"
                    exp["vat"] = None
                    self.review.append({"value": "00.000.000/0000-00", "why": f"placeholder CNPJ (all zeros) on "
                                        f"company '{name}': not written to vat"})
                    self.plant("all-zero placeholder CNPJ", src)
                elif slot in digits_only_slots:
                    rec["CNPJ"] = d
                    exp["vat"] = fmt_cnpj(d)
                else:
                    rec["CNPJ"] = fmt_cnpj(d)
                    exp["vat"] = fmt_cnpj(d)
                rec["Register"] = rec["CNPJ"]
                dom = slug(name.split(" ")[1] if len(name.split(" ")) > 1 else name).replace(".", "")
                dom = f"{slug(name).replace('.', '')[:18]}.com.br"
                rec["Email"] = f"contato@{dom}"
                exp["email"] = rec["Email"]
                if rng.random() < 0.7:
                    rec["Website"] = f"https://www.{dom}"
                    exp["website"] = rec["Website"]
                ddd = city[4]
                exp["phone"] = add_phone(rec, ddd, False)
                if rng.random() < 0.3:
                    exp["mobile"] = add_phone(rec, ddd, True)
                owner = rng.choice(owners)
                rec["OwnerId"] = owner
                exp["user_id"] = self.user_by_id[owner]["Email"].lower()
                rec["CreatorId"] = owner
                exp["category_id"] = add_tags(rec, self.contact_tags, rng.choice([0, 0, 1, 1, 2]))
                if rng.random() < 0.25:
                    rec["Note"] = rng.choice(["Cliente desde a feira de 2019.", "Prefere contato por e-mail.",
                                              "Pagamento sempre no dia 10.", "Atenção: exige NF com pedido de compra."])
                    exp["comment"] = "~contains:" + rec["Note"]
                # custom fields
                props = []
                segs = self.field[(1, "Segmento")]["OptionsTable"]["Options"]
                if rng.random() < 0.85:
                    seg = rng.choice(segs)["Name"]
                    props.append(self.other_prop("ContactId", cid, 1, "Segmento", seg,
                                                 drop_name=(len(companies) in (3, 50, 97))))
                if rng.random() < 0.6:
                    props.append(self.other_prop("ContactId", cid, 1, "Qtd. de filiais", rng.randint(0, 40)))
                if rng.random() < 0.6:
                    props.append(self.other_prop("ContactId", cid, 1, "Faturamento anual",
                                                 round(rng.uniform(150000, 90000000), 2)))
                if rng.random() < 0.7:
                    since = datetime(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28), tzinfo=BRT)
                    style = "plain"
                    if len(companies) == 11:  # a date typed during Brazilian summer time before 2019
                        since = datetime(2018, 1, 15, tzinfo=BRST)
                        self.plant("custom date with the pre-2019 summer-time offset -02:00", src)
                    elif len(companies) == 12:
                        since = datetime(2020, 6, 1, 3, 0, tzinfo=timezone.utc)  # = 2020-06-01 00:00 -03:00
                        style = "z"
                        self.plant("custom date sent in UTC 'Z' (local midnight = 03:00Z)", src)
                    props.append(self.other_prop("ContactId", cid, 1, "Cliente desde", (since, style)))
                if rng.random() < 0.5:
                    props.append(self.other_prop("ContactId", cid, 1, "Aceita newsletter", rng.random() < 0.5))
                if rng.random() < 0.5:
                    ie = f"{rng.randint(100, 999)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}"
                    props.append(self.other_prop("ContactId", cid, 1, "Inscrição Estadual", ie))
                for prop, key, val in props:
                    rec["OtherProperties"].append(prop)
                    exp[key] = val
                if len(companies) in (3, 50, 97) and any(p["ObjectValueName"] is None and p["ObjectValueId"]
                                                         for p in rec["OtherProperties"]):
                    self.plant("option value given by id only (ObjectValueName null): name from /Fields", src)
                rec["CreateDate"] = self.stamp(created)
                rec["LastUpdateDate"] = self.stamp(created + timedelta(days=rng.randint(0, 800)))
                if kind == "late_company":
                    late_company = rec
                else:
                    company_recs[ci] = rec
                    companies.append(rec)
                self.contacts.append(rec)
                self.contact_expect[cid] = exp
                continue

            # ---- persons
            rec = self.base_contact(cid, 2, created)
            name = self.unique(lambda: f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}")
            rec["Name"] = name
            exp = {"name": name, "is_company": False}
            src = f"Contacts:Id={cid}"
            company = None
            if kind == "person":
                company = company_recs[ci]
                rec["CompanyId"] = company["Id"]
                exp["parent_id"] = company["Name"]
            elif kind == "person_missing_company":
                rec["CompanyId"] = MISSING_COMPANY_ID
                exp["parent_id"] = None
                self.review.append({"value": str(MISSING_COMPANY_ID), "why": f"person '{name}' points to "
                                    "CompanyId that is not in /Contacts: created without parent"})
                self.plant("person whose CompanyId is missing from Contacts", src)
            elif kind == "person_late_company":
                pending_late.append((rec, exp))
                self.plant("person on page 1 whose company appears on page 2 (higher Id)", src)
            person_counter += 1
            city = rng.choice(CITIES) if company is None else next(c for c in CITIES if c[0] == company["CityId"])
            ddd = city[4]
            # identification
            d = self.new_cpf()
            if kind == "person_no_cpf":
                rec["CPF"] = None
                company = companies[0]
                rec["CompanyId"] = company["Id"]
                exp["parent_id"] = company["Name"]
                self.plant("person without CPF at a company with CNPJ (vat not asserted: Odoo syncs the "
                           "commercial partner's vat to child contacts)", src)
            elif person_counter in (30, 120):
                bad = d[:10] + str((int(d[10]) + 5) % 10)
                rec["CPF"] = fmt_cpf(bad)
                exp["vat"] = None
                self.review.append({"value": fmt_cpf(bad), "why": f"CPF check digits are wrong (person '{name}'): "
                                    "not written to vat"})
                self.plant("invalid CPF check digits", src)
                if company is not None:
                    exp.pop("vat")  # Odoo may sync the company's vat down; only the review is asserted
            elif person_counter == 77:
                rec["CPF"] = "111.111.111-11"
                exp["vat"] = None
                self.review.append({"value": "111.111.111-11", "why": f"all-equal CPF on person '{name}' "
                                    "(passes the check-digit formula but is a known invalid number)"})
                self.plant("all-equal CPF 111.111.111-11", src)
                if company is not None:
                    exp.pop("vat")
            elif rng.random() < 0.72:
                rec["CPF"] = fmt_cpf(d) if rng.random() < 0.85 else d
                exp["vat"] = fmt_cpf(d)
                if company is not None and company["CNPJ"] and person_counter < 200 and not hasattr(self, "_cpf_keep"):
                    self._cpf_keep = cid
                    self.plant("person with own CPF at a company with CNPJ: vat stays the CPF "
                               "(Odoo would sync the company's vat to a child contact)", src)
            rec["Register"] = rec["CPF"]
            # contact data
            if kind == "person_bad_email":
                rec["Email"] = f"{slug(name)}@@gmail.com"
                self.review.append({"value": rec["Email"], "why": f"malformed e-mail on person '{name}'"})
                self.plant("malformed e-mail address", src)
            elif rng.random() < 0.93:
                local = slug(name)
                domain = (company["Email"].split("@")[1] if company is not None and rng.random() < 0.7
                          else rng.choice(["gmail.com", "hotmail.com", "outlook.com", "uol.com.br", "yahoo.com.br"]))
                email = f"{local}@{domain}"
                if person_counter % 37 == 5:
                    email = f" {local.title()}@{domain.upper()} "
                    self.plant("e-mail with surrounding spaces and capitals", src)
                rec["Email"] = email
                exp["email"] = email.strip().lower()
            if rng.random() < 0.75:
                exp["mobile"] = add_phone(rec, ddd, True)
            if rng.random() < 0.35:
                exp["phone"] = add_phone(rec, ddd, False)
            if rng.random() < 0.8:
                role = rng.choice(ROLES)
                rec["RoleId"] = role[0]
                rec["Role"] = {"Id": role[0], "Name": role[1]}
                exp["function"] = role[1]
            owner = rng.choice(owners)
            rec["OwnerId"] = owner
            rec["CreatorId"] = owner
            exp["user_id"] = self.user_by_id[owner]["Email"].lower()
            exp["category_id"] = add_tags(rec, self.contact_tags, rng.choice([0, 0, 0, 1]))
            if rng.random() < 0.4:
                prop, key, val = self.other_prop("ContactId", cid, 1, "Aceita newsletter", rng.random() < 0.5)
                rec["OtherProperties"].append(prop)
                exp[key] = val
            if rng.random() < 0.3:
                rec["Birthday"] = iso(datetime(rng.randint(1960, 2000), rng.randint(1, 12),
                                               rng.randint(1, 28), tzinfo=BRT))
            rec["CreateDate"] = self.stamp(created)
            rec["LastUpdateDate"] = self.stamp(created + timedelta(days=rng.randint(0, 800)))
            people.append(rec)
            self.contacts.append(rec)
            self.contact_expect[cid] = exp
        for rec, exp in pending_late:
            rec["CompanyId"] = late_company["Id"]
            exp["parent_id"] = late_company["Name"]
        companies.append(late_company)
        self.companies, self.people = companies, people
        self.contact_by_id = {c["Id"]: c for c in self.contacts}
        self.contacts.sort(key=lambda c: c["Id"])
        # the ZipCode planted defect is systematic (São Paulo CEPs start with 0)
        self.plant("ZipCode is a number: CEPs starting with 0 lose it (01310100 -> 1310100)", "Contacts:ZipCode")
        self.plant("phones in many BR formats ((11) 3456-7890, 0xx11, (011), +55, digits only)", "Contacts:Phones")
        for c in self.contacts:
            exp = self.contact_expect[c["Id"]]
            if c["TypeId"] == 1:
                match = {"name": exp["name"], "is_company": True}
            elif exp.get("email"):
                match = {"email": exp["email"]}
            else:
                match = {"name": exp["name"], "is_company": False}
            values = {k: v for k, v in exp.items() if k not in ("is_company",) and not (k == "name" and "name" in match)}
            if "name" not in match:
                values["name"] = exp["name"]
            self.add("res.partner", match, values, f"Contacts/{self.page_of('Contacts', c['Id'])}:Id={c['Id']}")
        self.counts["res.partner"] = len(self.contacts)

    def page_of(self, entity, rid):
        lst = {"Contacts": getattr(self, "contacts", [])}.get(entity)
        if not lst:
            return "page-0001.json"
        ids = [c["Id"] for c in lst]
        return f"page-{ids.index(rid) // PAGE_SIZE + 1:04d}.json"

    # --------------------------------------------------------------- products
    def build_products(self):
        rng = self.rng
        self.families, self.groups, self.products = [], [], []
        gid, famid, pid = 40013001, 40014001, 40400001
        t = datetime(2020, 1, 10, 10, 0, tzinfo=BRT)
        for fname, groups in PRODUCT_CATALOG.items():
            fam = {"Id": famid, "Name": fname, "Editable": True, "Deletable": True,
                   "LastUpdateDate": iso(t + timedelta(days=famid % 13))}
            self.families.append(fam)
            self.add("product.category", {"name": fname}, {"parent_id": None}, f"Products@Families:Id={famid}")
            famid += 1
            for gname, items in groups.items():
                grp = {"Id": gid, "Name": gname, "FamilyId": fam["Id"], "FixedPrice": None, "Default": False,
                       "Editable": True, "Deletable": True, "LastUpdateDate": iso(t + timedelta(days=gid % 17))}
                self.groups.append(grp)
                self.add("product.category", {"name": gname}, {"parent_id": fname}, f"Products@Groups:Id={gid}")
                gid += 1
                for n, (pname, price) in enumerate(items):
                    code = f"{GROUP_CODES[gname]}-{n + 1:03d}"
                    created = self.when(datetime(2020, 1, 15, tzinfo=BRT), 900)
                    prod = {
                        "Id": pid, "Name": pname, "Code": code, "GroupId": grp["Id"], "FamilyId": fam["Id"],
                        "MeasurementUnit": "UN" if "hora" not in pname else "H", "ImageUrl": None,
                        "CurrencyId": 1, "UnitPrice": price, "Suspended": False, "Editable": True,
                        "Deletable": True, "CreatorId": self.users[0]["Id"],
                        "CreateDate": self.stamp(created),
                        "LastUpdateDate": self.stamp(created + timedelta(days=rng.randint(0, 400))),
                    }
                    self.products.append(prod)
                    pid += 1
        # planted: product without code, suspended product, product without group
        self.products[5]["Code"] = None
        self.plant("product without Code (no default_code; match by name)", f"Products:Id={self.products[5]['Id']}")
        self.products[12]["Suspended"] = True
        self.plant("suspended product (archived in Odoo)", f"Products:Id={self.products[12]['Id']}")
        self.products[-1]["GroupId"] = None
        self.products[-1]["FamilyId"] = None
        self.plant("product without group (default category)", f"Products:Id={self.products[-1]['Id']}")
        self.group_by_id = {g["Id"]: g for g in self.groups}
        self.product_by_id = {p["Id"]: p for p in self.products}
        for p in self.products:
            match = {"default_code": p["Code"]} if p["Code"] else {"name": p["Name"]}
            if p["Suspended"]:
                match["active"] = False
            values = {"name": p["Name"], "list_price": p["UnitPrice"]}
            values["default_code"] = p["Code"]
            if p["GroupId"]:
                values["categ_id"] = self.group_by_id[p["GroupId"]]["Name"]
            self.add("product.product", match, values, f"Products/page-0001.json:Id={p['Id']}")
        self.counts["product.product"] = len(self.products)
        self.counts["product.category"] = len(self.families) + len(self.groups)

    # --------------------------------------------------------------- deals
    def build_deals(self):
        rng = self.rng
        self.deals = []
        self.deal_expect = {}
        titles = set()
        did = 40200001
        tagrel = 40022001
        owners = [u["Id"] for u in self.active_users]
        n = 120
        statuses = [1] * 62 + [2] * 32 + [3] * 26
        rng.shuffle(statuses)
        customers = self.companies[:-1] + rng.sample(self.people, 25)
        for i in range(n):
            status = statuses[i]
            pipe = self.pipelines[0] if rng.random() < 0.75 else self.pipelines[1]
            pstages = [s for s in self.stages if s["PipelineId"] == pipe["Id"]]
            stage = rng.choice(pstages)
            contact = rng.choice(customers)
            while True:
                title = f"{rng.choice(DEAL_TOPICS)} - {contact['Name']}"
                if title not in titles:
                    break
                title = f"{title} ({rng.randint(2, 9)})"
                if title not in titles:
                    break
            titles.add(title)
            start = self.when(datetime(2022, 1, 1, tzinfo=BRT), 900)
            owner = rng.choice(owners)
            amount = round(rng.choice([rng.uniform(1500, 25000), rng.uniform(25000, 280000)]), 2)
            person = None
            if contact["TypeId"] == 1:
                staff = [p for p in self.people if p["CompanyId"] == contact["Id"]]
                person = rng.choice(staff) if staff and rng.random() < 0.7 else None
            deal = {
                "Id": did, "Title": title, "DealNumber": 1000 + i, "ContactId": contact["Id"],
                "ContactName": contact["Name"], "PersonId": person["Id"] if person else None,
                "PersonName": person["Name"] if person else None, "PipelineId": pipe["Id"],
                "StageId": stage["Id"], "StatusId": status, "LossReasonId": None, "OriginId": None,
                "OwnerId": owner, "CurrencyId": 1, "Amount": amount, "StartCurrencyId": 1,
                "StartAmount": amount, "StartDate": None, "FinishDate": None, "HasScheduledTasks": False,
                "LastQuoteId": None, "LastOrderId": None, "CreatorId": owner, "UpdaterId": owner,
                "CreateDate": None, "LastUpdateDate": None, "Tags": [], "OtherProperties": [],
            }
            deal["StartDate"] = self.stamp(start)
            deal["CreateDate"] = deal["StartDate"]
            exp = {"name": title, "type": "opportunity", "team_id": pipe["Name"],
                   "partner_id": contact["Name"], "expected_revenue": amount,
                   "user_id": self.user_by_id[owner]["Email"].lower()}
            if status != 2:
                exp["stage_id"] = stage["Name"]
            finish = None
            if status in (2, 3):
                finish = start + timedelta(days=rng.randint(5, 160), hours=rng.randint(0, 3))
                deal["FinishDate"] = self.stamp(finish)
            if status == 2:
                exp["probability"] = 100
                exp["date_closed"] = utc_minute(finish)
            if status == 3:
                exp["active"] = False
                exp["probability"] = 0
                reason = rng.choice([r for r in self.loss_reasons if r["PipelineId"] in (None, pipe["Id"])])
                deal["LossReasonId"] = reason["Id"]
                exp["lost_reason_id"] = reason["Name"]
            chosen = rng.sample(self.deal_tags, rng.choice([0, 0, 1, 1, 2]))
            for t in chosen:
                deal["Tags"].append({"Id": tagrel, "TagId": t["Id"], "DealId": did, "ContactId": None,
                                     "TaskId": None, "NoteId": None, "InteractionRecordId": None, "LeadId": None})
                tagrel += 1
            exp["tag_ids"] = [t["Name"] for t in chosen]
            props = []
            if rng.random() < 0.8:
                props.append(self.other_prop("DealId", did, 2, "Origem do lead",
                                             rng.choice(["Site", "Indicação", "Evento", "Outbound", "Google Ads"])))
            if rng.random() < 0.5:
                props.append(self.other_prop("DealId", did, 2, "Nº de licenças", rng.randint(1, 250)))
            if rng.random() < 0.4:
                props.append(self.other_prop("DealId", did, 2, "Desconto negociado (%)",
                                             round(rng.uniform(0, 25), 2)))
            if rng.random() < 0.6:
                fc = (start + timedelta(days=rng.randint(20, 200))).replace(hour=0, minute=0, second=0, microsecond=0)
                props.append(self.other_prop("DealId", did, 2, "Previsão de fechamento", (fc, "plain")))
            if rng.random() < 0.5:
                props.append(self.other_prop("DealId", did, 2, "Contrato assinado", status == 2))
            if rng.random() < 0.3:
                props.append(self.other_prop("DealId", did, 2, "Observações internas",
                                             rng.choice(["Cliente pediu parcelamento em 6x.\nAguardar aprovação da diretoria.",
                                                         "Concorrente ofereceu 15% de desconto.",
                                                         "Decisor: diretor financeiro.\nOrçamento aprovado em ata."])))
            for prop, key, val in props:
                deal["OtherProperties"].append(prop)
                exp[key] = val
            last = (finish or start) + timedelta(days=rng.randint(0, 30))
            deal["LastUpdateDate"] = self.stamp(last)
            self.deals.append(deal)
            self.deal_expect[did] = exp
            did += rng.choice([1, 1, 2])
        # ---- planted deal defects
        open_deals = [d for d in self.deals if d["StatusId"] == 1]
        won = [d for d in self.deals if d["StatusId"] == 2]
        lost = [d for d in self.deals if d["StatusId"] == 3]
        d = open_deals[3]
        d["OwnerId"] = MISSING_OWNER_ID
        self.deal_expect[d["Id"]]["user_id"] = None
        self.review.append({"value": str(MISSING_OWNER_ID), "why": f"deal '{d['Title']}' is owned by a user id "
                            "that is not in /Users: no salesperson set"})
        self.plant("deal whose OwnerId is not in Users", f"Deals:Id={d['Id']}")
        sus = self.suspended_user
        for dd in (open_deals[7], won[2]):
            dd["OwnerId"] = sus["Id"]
            self.deal_expect[dd["Id"]].pop("user_id", None)
        self.review.append({"value": sus["Email"].lower(), "why": "owner of open deals is suspended in Ploomes: "
                            "reassign (Odoo needs an active salesperson)"})
        self.plant("deals owned by the suspended user (owner review)", f"Deals:Id={open_deals[7]['Id']}")
        d = lost[1]
        d["LossReasonId"] = None
        self.deal_expect[d["Id"]]["lost_reason_id"] = None
        self.plant("lost deal without a loss reason", f"Deals:Id={d['Id']}")
        d = won[0]
        fin = datetime(2023, 6, 28, 23, 30, tzinfo=BRT)
        d["FinishDate"] = iso(fin)
        self.deal_expect[d["Id"]]["date_closed"] = utc_minute(fin)
        self.plant("won late in the evening (-03:00): date_closed is the next day in UTC", f"Deals:Id={d['Id']}")
        d = won[1]
        fin = datetime(2018, 12, 20, 22, 45, tzinfo=BRST)
        d["FinishDate"] = iso(fin)
        d["StartDate"] = iso(datetime(2018, 11, 5, 10, 0, tzinfo=BRST))
        d["CreateDate"] = d["StartDate"]
        self.deal_expect[d["Id"]]["date_closed"] = utc_minute(fin)
        self.plant("deal closed in Dec 2018 with summer-time offset -02:00 (offset must be honoured)",
                   f"Deals:Id={d['Id']}")
        d = won[3]
        fin = datetime(2024, 3, 5, 18, 0, tzinfo=BRT)
        d["FinishDate"] = iso(fin, "z")
        self.deal_expect[d["Id"]]["date_closed"] = utc_minute(fin)
        self.plant("FinishDate in UTC 'Z'", f"Deals:Id={d['Id']}")
        d = open_deals[11]
        d["Amount"] = None
        d["StartAmount"] = None
        self.deal_expect[d["Id"]]["expected_revenue"] = 0
        self.plant("deal with Amount null", f"Deals:Id={d['Id']}")
        for dl in self.deals:
            exp = self.deal_expect[dl["Id"]]
            match = {"name": dl["Title"]}
            if dl["StatusId"] == 3:
                match["active"] = False
            values = {k: v for k, v in exp.items() if k not in ("name", "active")}
            if dl["StatusId"] == 3:
                values["active"] = False
            self.add("crm.lead", match, values, f"Deals/page-0001.json:Id={dl['Id']}")
        self.counts["crm.lead"] = len(self.deals)
        self.deal_by_id = {d["Id"]: d for d in self.deals}

    # --------------------------------------------------------------- quotes & orders
    def line(self, prod, qty, price=None, discount=None):
        price = prod["UnitPrice"] if price is None else price
        total = round(qty * price * (1 - (discount or 0) / 100.0), 2)
        return {"ProductId": prod["Id"], "ProductName": prod["Name"], "Quantity": qty, "UnitPrice": price,
                "Discount": discount, "Total": total}

    def build_quotes_orders(self):
        rng = self.rng
        sellable = [p for p in self.products if not p["Suspended"]]
        candidates = [d for d in self.deals if d["StatusId"] in (1, 2, 3)]
        rng.shuffle(candidates)
        quote_deals = sorted(candidates[:60], key=lambda d: d["Id"])
        quoted = {d["Id"] for d in quote_deals}
        self.quotes, self.orders = [], []
        qid, secid, qpid = 40300001, 40310001, 40320001
        quote_number = 500
        revised = set(d["Id"] for d in rng.sample(quote_deals, 3))
        unknown_line_deal = quote_deals[17]["Id"]
        two_sections_deal = quote_deals[23]["Id"]
        for deal in quote_deals:
            quote_number += 1
            reviews = [0, 1] if deal["Id"] in revised else [0]
            base_date = datetime.fromisoformat(deal["StartDate"].replace("Z", "+00:00")).astimezone(BRT)
            prev_amount = None
            for rv in reviews:
                qdate = (base_date + timedelta(days=rng.randint(3, 30) + 10 * rv)).replace(
                    hour=0, minute=0, second=0, microsecond=0)
                n_lines = rng.randint(1, 4)
                prods = rng.sample(sellable, n_lines)
                lines = [self.line(p, rng.choice([1, 1, 2, 3, 5, 10, 20]),
                                   discount=rng.choice([None, None, 5, 10, 12.5])) for p in prods]
                if deal["Id"] == unknown_line_deal:
                    lines.append({"ProductId": MISSING_PRODUCT_ID, "ProductName": "Módulo Legado Descontinuado",
                                  "Quantity": 1, "UnitPrice": 990.0, "Discount": None, "Total": 990.0})
                last = rv == reviews[-1]
                sections_lines = [lines] if deal["Id"] != two_sections_deal or len(lines) < 2 else [lines[:1], lines[1:]]
                sections = []
                for code, sl in enumerate(sections_lines):
                    prods_json = []
                    for ln in sl:
                        item = {"Id": qpid, "QuoteId": qid, "SectionId": secid, "DealId": deal["Id"],
                                "ContactId": deal["ContactId"], "OwnerId": deal["OwnerId"],
                                "QuoteDate": iso(qdate), "CurrencyId": 1, "ContactProductId": None,
                                "Editable": True, "Ordination": len(prods_json)}
                        item.update(ln)
                        prods_json.append(item)
                        qpid += 1
                    sections.append({"Id": secid, "QuoteId": qid, "Code": code, "Discount": None, "CurrencyId": 1,
                                     "Total": round(sum(x["Total"] for x in sl), 2), "Products": prods_json,
                                     "OtherProperties": []})
                    secid += 1
                amount = round(sum(x["Total"] for x in lines), 2)
                q = {
                    "Id": qid, "QuoteNumber": quote_number, "ReviewNumber": rv, "LastReview": last,
                    "Title": f"Proposta {quote_number}" + (f" - revisão {rv}" if rv else ""),
                    "DealId": deal["Id"], "ContactId": deal["ContactId"], "ContactName": deal["ContactName"],
                    "PersonId": deal["PersonId"], "PersonName": deal["PersonName"], "OwnerId": deal["OwnerId"],
                    "TemplateId": 40030001, "Date": iso(qdate), "ExpirationDate": iso(qdate + timedelta(days=15)),
                    "CurrencyId": 1, "Amount": amount, "Discount": None, "InstallmentsNumber": rng.choice([1, 3, 6]),
                    "DeliveryTime": rng.choice(["30 dias", "Imediato", "15 dias úteis"]),
                    "PaymentMethod": rng.choice(["Boleto", "Cartão de crédito", "PIX", "Transferência"]),
                    "Notes": None, "ApprovalStatusId": rng.choice([1, 3]), "Approver": False,
                    "DocumentUrl": f"https://stgploomescrmprd01.blob.core.windows.net/documents/{self.guid()}.pdf",
                    "CreatorId": deal["OwnerId"], "CreateDate": self.stamp(qdate + timedelta(hours=10)),
                    "LastUpdateDate": self.stamp(qdate + timedelta(days=1, hours=11)),
                    "Sections": sections, "OtherProperties": [],
                }
                self.quotes.append(q)
                if last:
                    deal["LastQuoteId"] = qid
                    self.expect_sale(q, deal, lines, "Quotes", state=None)
                else:
                    prev_amount = amount
                    if deal["StatusId"] == 3:
                        m = {"opportunity_id": deal["Title"], "amount_untaxed": amount}
                    else:
                        m = {"opportunity_id": deal["Title"], "amount_untaxed": amount}
                    self.not_expected.append({"model": "sale.order", "match": m})
                qid += 1
            if deal["Id"] in revised:
                self.plant("quote with two reviews: only the LastReview becomes a sale.order",
                           f"Quotes:DealId={deal['Id']}")
        self.plant("quote line whose ProductId is not in Products", f"Quotes:DealId={unknown_line_deal}")
        self.plant("quote whose products are split over two sections", f"Quotes:DealId={two_sections_deal}")
        udeal = self.deal_by_id[unknown_line_deal]
        self.review.append({"value": str(MISSING_PRODUCT_ID), "why": f"quote line 'Módulo Legado Descontinuado' of "
                            f"deal '{udeal['Title']}' references a product id missing from /Products"})
        # orders: won deals that have no quote (a sale registered directly)
        won_unquoted = [d for d in self.deals if d["StatusId"] == 2 and d["Id"] not in quoted]
        oid, opid = 40700001, 40710001
        for k, deal in enumerate(won_unquoted[:12]):
            fin = datetime.fromisoformat(deal["FinishDate"].replace("Z", "+00:00")).astimezone(BRT)
            odate = fin.replace(hour=0, minute=0, second=0, microsecond=0)
            prods = rng.sample(sellable, rng.randint(1, 3))
            lines = [self.line(p, rng.choice([1, 2, 4, 10])) for p in prods]
            items = []
            for ln in lines:
                it = {"Id": opid, "OrderId": oid, "OwnerId": deal["OwnerId"], "OrderDate": iso(odate),
                      "SectionId": None, "DealId": deal["Id"], "ContactId": deal["ContactId"], "CurrencyId": 1,
                      "Bonus": False, "ContactProductId": None, "Editable": True}
                it.update(ln)
                items.append(it)
                opid += 1
            o = {
                "Id": oid, "OrderNumber": 2000 + k, "Date": iso(odate), "ContactId": deal["ContactId"],
                "ContactName": deal["ContactName"], "PersonId": deal["PersonId"], "PersonName": deal["PersonName"],
                "DealId": deal["Id"], "StageId": rng.choice([40018001, 40018002, 40018003]),
                "Amount": round(sum(x["Total"] for x in lines), 2), "Discount": None, "OwnerId": deal["OwnerId"],
                "OriginQuoteId": None, "Description": None, "CreatorId": deal["OwnerId"],
                "CreateDate": self.stamp(odate + timedelta(hours=9)),
                "LastUpdateDate": self.stamp(odate + timedelta(days=2)), "Products": items,
            }
            self.orders.append(o)
            deal["LastOrderId"] = oid
            self.expect_sale(o, deal, lines, "Orders", state="sale")
            oid += 1
        self.order_stages = [{"Id": 40018001, "Name": "Em produção", "Ordination": 0},
                             {"Id": 40018002, "Name": "Faturado", "Ordination": 1},
                             {"Id": 40018003, "Name": "Entregue", "Ordination": 2}]
        self.counts["sale.order"] = len([q for q in self.quotes if q["LastReview"]]) + len(self.orders)

    def expect_sale(self, doc, deal, lines, entity, state):
        known = [ln for ln in lines if ln["ProductId"] in self.product_by_id]
        values = {"partner_id": deal["ContactName"]}
        owner = self.user_by_id.get(doc["OwnerId"])
        if owner and not owner["Suspended"]:
            values["user_id"] = owner["Email"].lower()
        d = datetime.fromisoformat(doc["Date"])
        values["date_order"] = utc_minute(d)
        if len(known) == len(lines):
            values["order_line"] = [ln["ProductName"] for ln in lines]
            values["amount_untaxed"] = round(sum(ln["Total"] for ln in lines), 2)
        if state:
            values["state"] = state
        self.add("sale.order", {"opportunity_id": deal["Title"]}, values, f"{entity}/page-0001.json:Id={doc['Id']}")

    # --------------------------------------------------------------- tasks
    def build_tasks(self):
        rng = self.rng
        self.tasks = []
        tid, turel = 40500001, 40510001
        deal_targets = [d for d in self.deals if d["StatusId"] in (1, 2)]
        seen = set()
        n = 150
        special = {}
        for i in range(n):
            ttype, _ = rng.choice(TASK_TYPES)
            on_deal = rng.random() < 0.7
            if on_deal:
                deal = rng.choice(deal_targets)
                contact_id = deal["ContactId"]
                deal_id = deal["Id"]
            else:
                deal = None
                contact_id = rng.choice(self.contacts)["Id"]
                deal_id = None
            key_owner = deal_id or contact_id
            for _ in range(20):
                title = rng.choice(TASK_TITLES[ttype])
                if (key_owner, title) not in seen:
                    break
                title = f"{title} #{rng.randint(2, 99)}"
                if (key_owner, title) not in seen:
                    break
            seen.add((key_owner, title))
            when = self.when(datetime(2023, 1, 1, tzinfo=BRT), 700).replace(second=0, microsecond=0)
            minute = rng.choice([0, 15, 30, 45])
            when = when.replace(minute=minute)
            no_time = rng.random() < 0.2
            if no_time:
                when = when.replace(hour=0, minute=0)
            user = rng.choice(self.active_users)
            finished = rng.random() < 0.45
            task = {
                "Id": tid, "Title": title, "Description": None, "TypeId": ttype, "ContactId": contact_id,
                "ContactName": self.contact_by_id[contact_id]["Name"], "DealId": deal_id,
                "DateTime": iso(when), "EndTime": None, "NoTime": no_time, "Length": 30 if not no_time else None,
                "Finished": finished, "FinishDate": None, "FinisherId": None, "Address": None,
                "CreatorId": user["Id"], "UpdaterId": user["Id"],
                "CreateDate": self.stamp(when - timedelta(days=rng.randint(1, 20))),
                "LastUpdateDate": None, "Users": [{"Id": turel, "TaskId": tid, "UserId": user["Id"]}],
                "Tags": [],
            }
            turel += 1
            if rng.random() < 0.5:
                task["Description"] = rng.choice(["Levar proposta impressa.", "Confirmar número de usuários.",
                                                  "Cliente pediu retorno após as 14h.", "Validar escopo com TI."])
            fin = None
            if finished:
                fin = when + timedelta(days=rng.randint(0, 3), hours=rng.randint(0, 5))
                task["FinishDate"] = self.stamp(fin)
                task["FinisherId"] = user["Id"]
            task["LastUpdateDate"] = self.stamp(fin or when - timedelta(hours=2))
            self.tasks.append(task)
            special[i] = (task, when, fin, user, deal)
            tid += rng.choice([1, 1, 2])
        # planted task defects
        t, when, fin, user, deal = special[4]
        when = datetime(2024, 3, 5, 22, 30, tzinfo=BRT)
        t["DateTime"], t["NoTime"] = iso(when), False
        special[4] = (t, when, fin, user, deal)
        self.plant("task at 22:30 -03:00: deadline is that local day (UTC is the next day)", f"Tasks:Id={t['Id']}")
        t, when, fin, user, deal = special[9]
        when = datetime(2024, 4, 10, 21, 0, tzinfo=BRT)
        t["DateTime"], t["NoTime"] = iso(when, "z"), False
        special[9] = (t, when, fin, user, deal)
        self.plant("task DateTime in UTC 'Z' (2024-04-11T00:00:00Z = 10 April local)", f"Tasks:Id={t['Id']}")
        t, when, fin, user, deal = special[14]
        t["Users"][0]["UserId"] = MISSING_TASK_USER_ID
        special[14] = (t, when, fin, None, deal)
        self.review.append({"value": str(MISSING_TASK_USER_ID), "why": f"task '{t['Title']}' is assigned to a user "
                            "id that is not in /Users"})
        self.plant("task assigned to a user id missing from Users", f"Tasks:Id={t['Id']}")
        t, when, fin, user, deal = special[19]
        t["ContactId"], t["ContactName"], t["DealId"] = None, None, None
        special[19] = (t, when, fin, user, None)
        self.review.append({"value": str(t["Id"]), "why": f"task '{t['Title']}' (Id {t['Id']}) is linked to "
                            "neither a deal nor a contact: nothing to attach the activity to"})
        self.plant("task linked to neither deal nor contact", f"Tasks:Id={t['Id']}")
        orphan = t["Id"]
        count = 0
        for i, (t, when, fin, user, deal) in special.items():
            if t["Id"] == orphan:
                continue
            count += 1
            if t["DealId"]:
                rec = {"name": self.deal_by_id[t["DealId"]]["Title"]}
                res_model = "crm.lead"
            else:
                c = self.contact_by_id[t["ContactId"]]
                exp = self.contact_expect[c["Id"]]
                rec = ({"name": exp["name"], "is_company": True} if c["TypeId"] == 1
                       else {"email": exp["email"]} if exp.get("email") else {"name": exp["name"], "is_company": False})
                res_model = "res.partner"
            match = {"res_model": res_model, "record": rec, "summary_contains": t["Title"]}
            values = {"date_deadline": when.astimezone(BRT).strftime("%Y-%m-%d")}
            if user:
                values["user_id"] = user["Email"].lower()
            if t["TypeId"] in ODOO_ACTIVITY_TYPE:
                values["activity_type_id"] = ODOO_ACTIVITY_TYPE[t["TypeId"]]
            if t["Description"]:
                values["note"] = "~contains:" + t["Description"]
            if t["Finished"]:
                match["active"] = False
                values["active"] = False
                values["date_done"] = fin.astimezone(BRT).strftime("%Y-%m-%d")
            self.add("mail.activity", match, values, f"Tasks/page-0001.json:Id={t['Id']}")
        self.counts["mail.activity"] = count
        self.tasks.sort(key=lambda x: x["Id"])

    def build_not_expected(self):
        # lookup lists saved next to the real entities must not become records
        self.not_expected += [
            {"model": "res.partner", "match": {"name": "Pessoa"}},
            {"model": "res.partner", "match": {"name": "Empresa"}},
            {"model": "crm.lead", "match": {"name": "Ganho"}},
            {"model": "crm.lead", "match": {"name": "Perdido", "active": False}},
            {"model": "res.partner", "match": {"name": str(MISSING_COMPANY_ID)}},
            {"model": "crm.stage", "match": {"name": "Em produção"}},
        ]

    # --------------------------------------------------------------- output
    def entities(self):
        """entity folder -> (records, query string after $top/$skip/$orderby)."""
        return {
            "Users": (self.users, ""),
            "Contacts@Types": (self.contact_types, ""),
            "PhoneTypes": (self.phone_types, ""),
            "Tags": (self.tags, ""),
            "Fields": (self.fields, "&$filter=EntityId eq 1 or EntityId eq 2"
                       "&$expand=Type,OptionsTable($expand=Options)"),
            "Contacts": (self.contacts, "&$expand=Phones($expand=Type),Tags,OtherProperties,City,State,Role"),
            "Deals@Pipelines": (self.pipelines, ""),
            "Deals@Stages": (self.stages, ""),
            "Deals@Status": (self.deal_status, ""),
            "Deals@LossReasons": (self.loss_reasons, ""),
            "Deals": (self.deals, "&$expand=Tags,OtherProperties"),
            "Products@Families": (self.families, ""),
            "Products@Groups": (self.groups, ""),
            "Products": (self.products, ""),
            "Quotes@ApprovalStatus": (self.approval_status, ""),
            "Quotes": (self.quotes, "&$expand=Sections($expand=Products),OtherProperties"),
            "Orders@Stages": (self.order_stages, ""),
            "Orders": (self.orders, "&$expand=Products"),
            "Tasks@Types": (self.task_types, ""),
            "Tasks": (self.tasks, "&$expand=Users,Tags"),
        }

    def write(self, out):
        exports = os.path.join(out, "exports")
        if os.path.isdir(exports):
            shutil.rmtree(exports)
        os.makedirs(exports)
        manifest = []
        for entity, (records, query) in self.entities().items():
            folder = os.path.join(exports, entity)
            os.makedirs(folder)
            records = sorted(records, key=lambda r: r["Id"])
            pages = max(1, -(-len(records) // PAGE_SIZE))
            for p in range(pages):
                chunk = records[p * PAGE_SIZE:(p + 1) * PAGE_SIZE]
                body = {"@odata.context": f"{BASE_URL}/$metadata#{entity}", "value": chunk}
                path = os.path.join(folder, f"page-{p + 1:04d}.json")
                with open(path, "w", encoding="utf-8") as fh:
                    json.dump(body, fh, ensure_ascii=False, separators=(",", ":"))
                manifest.append(f"GET {BASE_URL}/{entity}?$top={PAGE_SIZE}&$skip={p * PAGE_SIZE}"
                                f"&$orderby=Id{query} -> {entity}/page-{p + 1:04d}.json ({len(chunk)})")
        expected = {
            "system": "ploomes",
            "seed": self.seed,
            "records": self.records,
            "counts": self.counts,
            "review": self.review,
            "not_expected": self.not_expected,
            "planted": self.planted,
            "requests": manifest,
        }
        with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as fh:
            json.dump(expected, fh, ensure_ascii=False, indent=1)
        return expected


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    gen = Gen(args.seed)
    gen.build()
    expected = gen.write(args.out)
    print(f"ploomes seed {args.seed}: {len(expected['records'])} expected records, "
          f"{len(expected['review'])} review items, counts {expected['counts']}")


if __name__ == "__main__":
    main()
