#!/usr/bin/env python3
"""Generate the saved Ploomes pages of samples/ploomes/ (a small synthetic account).

    python samples/gen_ploomes.py               # rewrites samples/ploomes/<Entity>/page-0001.json
    python samples/gen_ploomes.py --out /tmp/p

Each file is the body ``GET /<Entity>?$top=300&$skip=0&$orderby=Id&$expand=...`` would
return (``engine.sources.ploomes.pages.dump_page``), records in Id order. Deterministic:
no clock, no network. The account ("Acme Software", Sao Paulo) has three users (one
suspended), three companies, four people, four deals in two pipelines, two quotes
(one with two reviews), one order and three tasks. Planted problems (each must become
a review item, see samples/ploomes/README.md):

* company 5002: CNPJ 11.111.111/1111-11 (all digits equal); company 5003: CNPJ
  12.345.678/0001-00 (check digits wrong) and owner id 99 (no such user);
* person 5102: CPF 111.111.111-11 (all equal: stdnum alone accepts it); person 5103:
  phone "123";
* deal 7003: owner id 99; quote 8003: a line whose product 499 does not exist and a
  total (4750.00) that differs from its lines (4950.00).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.sources.ploomes.pages import dump_page, page_name  # noqa: E402

BR = {"Id": 76, "Name": "Brasil"}
SP = {"Id": 25, "Name": "São Paulo", "Short": "SP", "CountryId": 76}
RJ = {"Id": 19, "Name": "Rio de Janeiro", "Short": "RJ", "CountryId": 76}
CELULAR = {"Id": 2, "Name": "Celular"}
COMERCIAL = {"Id": 1, "Name": "Comercial"}


def _tags(*ids):
    return [{"Id": 9000 + i, "TagId": i} for i in ids]


USERS = [
    {"Id": 10, "Name": "Ana Souza", "Email": "Ana.Souza@acme.com.br", "Suspended": False,
     "LastUpdateDate": "2023-01-10T09:00:00-03:00"},
    {"Id": 11, "Name": "Bruno Lima", "Email": "bruno.lima@acme.com.br", "Suspended": False,
     "LastUpdateDate": "2023-01-10T09:00:00-03:00"},
    {"Id": 12, "Name": "Carla Dias", "Email": "carla.dias@acme.com.br", "Suspended": True,
     "LastUpdateDate": "2023-08-01T09:00:00-03:00"},
]  # fmt: skip
FIELDS = [
    {"Id": 1, "Key": "contact_4A1E", "Name": "Segmento", "EntityId": 1,
     "TypeId": 7, "Type": {"Id": 7, "Name": "Lista de opções"}, "OptionsTableId": 50,
     "OptionsTable": {"Id": 50, "Name": "Segmentos", "Options": [
         {"Id": 501, "TableId": 50, "Name": "Indústria"},
         {"Id": 502, "TableId": 50, "Name": "Varejo"},
         {"Id": 503, "TableId": 50, "Name": "Serviços"}]}},
    {"Id": 2, "Key": "contact_7B2C", "Name": "Inscrição Estadual", "EntityId": 1,
     "TypeId": 1, "Type": {"Id": 1, "Name": "Texto"}, "OptionsTable": None},
    {"Id": 3, "Key": "deal_11AA", "Name": "Origem do Lead", "EntityId": 2,
     "TypeId": 7, "Type": {"Id": 7, "Name": "Lista de opções"}, "OptionsTableId": 60,
     "OptionsTable": {"Id": 60, "Name": "Origens", "Options": [
         {"Id": 601, "TableId": 60, "Name": "Site"},
         {"Id": 602, "TableId": 60, "Name": "Indicação"}]}},
    {"Id": 4, "Key": "deal_22BB", "Name": "Previsão de Fechamento", "EntityId": 2,
     "TypeId": 4, "Type": {"Id": 4, "Name": "Data"}, "ShowTime": False,
     "OptionsTable": None},
    {"Id": 5, "Key": "deal_33CC", "Name": "Licenças", "EntityId": 2,
     "TypeId": 3, "Type": {"Id": 3, "Name": "Número inteiro"}, "OptionsTable": None},
    {"Id": 6, "Key": "product_44DD", "Name": "Garantia (meses)", "EntityId": 10,
     "TypeId": 3, "Type": {"Id": 3, "Name": "Número inteiro"}, "OptionsTable": None},
]  # fmt: skip
TAGS = [
    {"Id": 1, "Name": "VIP", "Color": "#d32f2f", "EntityId": 1},
    {"Id": 2, "Name": "Parceiro", "Color": "#1976d2", "EntityId": 1},
    {"Id": 3, "Name": "Urgente", "Color": "#f57c00", "EntityId": 2},
]
PIPELINES = [
    {"Id": 100, "Name": "Vendas Diretas", "Ordination": 0, "Archived": False,
     "LastUpdateDate": "2023-01-10T09:00:00-03:00"},
    {"Id": 101, "Name": "Parcerias", "Ordination": 1, "Archived": False,
     "LastUpdateDate": "2023-01-10T09:00:00-03:00"},
]  # fmt: skip
# Id order is not the stage order: "Diagnóstico" was added later, second in the funnel
STAGES = [
    {"Id": 1001, "Name": "Prospecção", "PipelineId": 100, "Ordination": 0},
    {"Id": 1002, "Name": "Qualificação", "PipelineId": 100, "Ordination": 2},
    {"Id": 1003, "Name": "Proposta", "PipelineId": 100, "Ordination": 3},
    {"Id": 1004, "Name": "Negociação", "PipelineId": 100, "Ordination": 4},
    {"Id": 1005, "Name": "Diagnóstico", "PipelineId": 100, "Ordination": 1},
    {"Id": 1101, "Name": "Contato inicial", "PipelineId": 101, "Ordination": 0},
    {"Id": 1102, "Name": "Acordo", "PipelineId": 101, "Ordination": 1},
]
LOSS_REASONS = [
    {"Id": 201, "Name": "Preço", "PipelineId": 100},
    {"Id": 202, "Name": "Concorrente", "PipelineId": 100},
    {"Id": 203, "Name": "Sem orçamento", "PipelineId": 101},
]
FAMILIES = [{"Id": 301, "Name": "Software"}]
GROUPS = [
    {"Id": 311, "Name": "Licenças", "FamilyId": 301},
    {"Id": 312, "Name": "Serviços", "FamilyId": None},
]
PRODUCTS = [
    {"Id": 401, "Name": "CRM Pro - licença anual", "Code": "CRM-PRO", "GroupId": 311,
     "FamilyId": 301, "UnitPrice": 1200.0, "MeasurementUnit": "licença", "Suspended": False,
     "CreateDate": "2023-02-01T10:00:00-03:00", "LastUpdateDate": "2023-02-01T10:00:00-03:00",
     "OtherProperties": [{"FieldKey": "product_44DD", "IntegerValue": 12}]},
    {"Id": 402, "Name": "Implantação", "Code": "IMPL", "GroupId": 312, "UnitPrice": 4500.0,
     "MeasurementUnit": "projeto", "Suspended": False,
     "CreateDate": "2023-02-01T10:05:00-03:00", "LastUpdateDate": "2023-02-01T10:05:00-03:00",
     "OtherProperties": []},
    {"Id": 403, "Name": "Treinamento (hora)", "Code": "TRN-H", "GroupId": 312,
     "UnitPrice": 250.0, "MeasurementUnit": "hora", "Suspended": False,
     "CreateDate": "2023-02-01T10:10:00-03:00", "LastUpdateDate": "2023-02-01T10:10:00-03:00",
     "OtherProperties": []},
    {"Id": 404, "Name": "Módulo Fiscal", "Code": "FISC", "GroupId": 311, "FamilyId": 301,
     "UnitPrice": 800.0, "MeasurementUnit": "licença", "Suspended": True,
     "CreateDate": "2023-02-01T10:15:00-03:00", "LastUpdateDate": "2024-01-05T18:00:00-03:00",
     "OtherProperties": []},
]  # fmt: skip
CONTACTS = [
    {"Id": 5001, "TypeId": 1, "Name": "Acme Indústria", "LegalName": "Acme Indústria e Comércio Ltda",
     "CNPJ": "11.222.333/0001-81", "CPF": None, "Register": "11.222.333/0001-81",
     "Email": "Contato@Acme-Ind.com.br", "Website": "https://acme-ind.com.br",
     "StreetAddress": "Av. Paulista", "StreetAddressNumber": "1000",
     "StreetAddressLine2": "Conj. 101", "Neighborhood": "Bela Vista", "ZipCode": 1310100,
     "CityId": 3550308, "City": {"Id": 3550308, "Name": "São Paulo", "StateId": 25},
     "StateId": 25, "State": SP, "CountryId": 76, "Country": BR, "CompanyId": None,
     "OwnerId": 10, "Note": "Cliente desde 2019.",
     "Phones": [{"Id": 1, "ContactId": 5001, "PhoneNumber": "(11) 3456-7890", "TypeId": 1, "Type": COMERCIAL},
                {"Id": 2, "ContactId": 5001, "PhoneNumber": "(11) 98765-4321", "TypeId": 2, "Type": CELULAR}],
     "Tags": _tags(1),
     "OtherProperties": [{"FieldKey": "contact_4A1E", "ObjectValueId": 501},
                         {"FieldKey": "contact_7B2C", "StringValue": "110.042.490.114"}],
     "CreateDate": "2023-05-04T10:20:00-03:00", "LastUpdateDate": "2024-01-15T08:00:00-03:00"},
    {"Id": 5002, "TypeId": 1, "Name": "Beta Serviços", "LegalName": "Beta Serviços Ltda",
     "CNPJ": "11.111.111/1111-11", "Email": "financeiro@beta.com.br",
     "StreetAddress": "Rua da Assembleia", "StreetAddressNumber": "10", "ZipCode": "20011-000",
     "City": {"Id": 3304557, "Name": "Rio de Janeiro", "StateId": 19}, "State": RJ, "Country": BR,
     "OwnerId": 11,
     "Phones": [{"Id": 3, "ContactId": 5002, "PhoneNumber": "+55 21 2555-0101", "TypeId": 1, "Type": COMERCIAL}],
     "Tags": [], "OtherProperties": [{"FieldKey": "contact_4A1E", "ObjectValueId": 503,
                                      "ObjectValueName": "Serviços"}],
     "CreateDate": "2023-06-01T14:00:00-03:00", "LastUpdateDate": "2024-02-20T11:30:00-03:00"},
    {"Id": 5003, "TypeId": 1, "Name": "Gama Comércio", "CNPJ": "12.345.678/0001-00",
     "Email": "", "OwnerId": 99, "Phones": [], "Tags": _tags(1, 2), "OtherProperties": [],
     "CreateDate": "2023-07-15T09:00:00Z", "LastUpdateDate": "2023-07-15T09:00:00Z"},
    {"Id": 5101, "TypeId": 2, "Name": "João Silva", "Email": "Joao.Silva@acme-ind.com.br",
     "CompanyId": 5001, "CPF": "529.982.247-25", "Register": "529.982.247-25",
     "Birthday": "1980-03-02T00:00:00-03:00", "RoleId": 7, "Role": {"Id": 7, "Name": "Diretor Comercial"},
     "OwnerId": 10,
     "Phones": [{"Id": 4, "ContactId": 5101, "PhoneNumber": "11987654321", "TypeId": 2, "Type": CELULAR}],
     "Tags": _tags(2), "OtherProperties": [],
     "CreateDate": "2023-05-04T10:25:00-03:00", "LastUpdateDate": "2024-03-01T16:00:00-03:00"},
    {"Id": 5102, "TypeId": 2, "Name": "Maria Oliveira", "Email": "maria@beta.com.br",
     "CompanyId": 5002, "CPF": "111.111.111-11", "OwnerId": 11,
     "Phones": [{"Id": 5, "ContactId": 5102, "PhoneNumber": "(21) 99876-5432", "TypeId": None, "Type": None}],
     "Tags": [], "OtherProperties": [],
     "CreateDate": "2023-06-01T14:10:00-03:00", "LastUpdateDate": "2023-06-01T14:10:00-03:00"},
    {"Id": 5103, "TypeId": 2, "Name": "Pedro Santos", "Email": "pedro@gama.com.br",
     "CompanyId": 5003, "OwnerId": 12,
     "Phones": [{"Id": 6, "ContactId": 5103, "PhoneNumber": "123", "TypeId": 1, "Type": COMERCIAL}],
     "Tags": [], "OtherProperties": [],
     "CreateDate": "2023-07-15T09:05:00Z", "LastUpdateDate": "2023-07-15T09:05:00Z"},
    {"Id": 5104, "TypeId": 2, "Name": "Luiza Costa", "Email": "luiza.costa@gmail.com",
     "CompanyId": None, "CPF": "39053344705", "OwnerId": 10, "Phones": [], "Tags": [],
     "OtherProperties": [],
     "CreateDate": "2024-01-20T08:00:00-03:00", "LastUpdateDate": "2024-04-10T12:00:00-03:00"},
]  # fmt: skip
DEALS = [
    {"Id": 7001, "DealNumber": 1, "Title": "Acme - CRM Pro 50 licenças", "ContactId": 5001,
     "ContactName": "Acme Indústria", "PersonId": 5101, "PersonName": "João Silva",
     "PipelineId": 100, "StageId": 1003, "StatusId": 1, "Amount": 60000.0, "OwnerId": 10,
     "Tags": _tags(3),
     "OtherProperties": [{"FieldKey": "deal_11AA", "ObjectValueId": 601, "ObjectValueName": "Site"},
                         {"FieldKey": "deal_22BB", "DateTimeValue": "2024-06-30T00:00:00-03:00"},
                         {"FieldKey": "deal_33CC", "IntegerValue": 50}],
     "StartDate": "2024-02-01T09:30:00-03:00", "FinishDate": None,
     "CreateDate": "2024-02-01T09:30:00-03:00", "LastUpdateDate": "2024-02-10T14:05:00-03:00"},
    {"Id": 7002, "DealNumber": 2, "Title": "Beta - Implantação", "ContactId": 5002,
     "ContactName": "Beta Serviços", "PersonId": 5102, "PipelineId": 100, "StageId": 1004,
     "StatusId": 2, "Amount": 4750.0, "OwnerId": 11, "Tags": [],
     "OtherProperties": [{"FieldKey": "deal_11AA", "ObjectValueId": 602}],
     "FinishDate": "2024-03-10T17:45:00Z",
     "CreateDate": "2024-02-15T10:00:00-03:00", "LastUpdateDate": "2024-03-10T17:45:00Z"},
    {"Id": 7003, "DealNumber": 3, "Title": "Gama - Treinamento", "ContactId": 5003,
     "ContactName": "Gama Comércio", "PersonId": 5103, "PipelineId": 100, "StageId": 1002,
     "StatusId": 3, "LossReasonId": 201, "Amount": 2500.5, "OwnerId": 99, "Tags": [],
     "OtherProperties": [], "FinishDate": "2024-04-02T10:00:00-03:00",
     "CreateDate": "2024-03-01T09:00:00-03:00", "LastUpdateDate": "2024-04-02T10:00:00-03:00"},
    {"Id": 7004, "DealNumber": 4, "Title": "Luiza - consultoria", "ContactId": 5104,
     "ContactName": "Luiza Costa", "PersonId": None, "PipelineId": 101, "StageId": 1101,
     "StatusId": 1, "Amount": 1800.0, "OwnerId": 10, "Tags": [], "OtherProperties": [],
     "CreateDate": "2024-04-10T12:00:00-03:00", "LastUpdateDate": "2024-05-02T09:00:00-03:00"},
]  # fmt: skip


def _line(lid, pid, name, qty, price, disc, total):
    return {"Id": lid, "ProductId": pid, "ProductName": name, "Quantity": qty,
            "UnitPrice": price, "Discount": disc, "Total": total}  # fmt: skip


QUOTES = [
    {"Id": 8001, "QuoteNumber": 1, "ReviewNumber": 0, "LastReview": False,
     "Title": "Proposta CRM Pro", "DealId": 7001, "ContactId": 5001, "ContactName": "Acme Indústria",
     "PersonId": 5101, "OwnerId": 10, "Date": "2024-02-05T14:00:00-03:00",
     "ExpirationDate": "2024-03-05T00:00:00-03:00", "Amount": 60000.0, "Discount": 0,
     "ApprovalStatusId": None, "ApprovalStatus": None, "Shared": True,
     "Sections": [{"Id": 1, "QuoteId": 8001, "Code": 1, "Discount": 0, "Total": 60000.0,
                   "Products": [_line(9001, 401, "CRM Pro - licença anual", 50, 1200.0, 0, 60000.0)]}],
     "OtherProperties": [],
     "CreateDate": "2024-02-05T14:00:00-03:00", "LastUpdateDate": "2024-02-10T14:00:00-03:00"},
    {"Id": 8002, "QuoteNumber": 1, "ReviewNumber": 1, "LastReview": True,
     "Title": "Proposta CRM Pro (revisão)", "DealId": 7001, "ContactId": 5001,
     "ContactName": "Acme Indústria", "PersonId": 5101, "OwnerId": 10,
     "Date": "2024-02-10T14:00:00-03:00", "ExpirationDate": "2024-03-10T00:00:00-03:00",
     "Amount": 57000.0, "Discount": 5, "ApprovalStatusId": 1,
     "ApprovalStatus": {"Id": 1, "Name": "Pendente"}, "Shared": True,
     "Sections": [{"Id": 2, "QuoteId": 8002, "Code": 1, "Discount": 0, "Total": 57000.0,
                   "Products": [_line(9002, 401, "CRM Pro - licença anual", 50, 1200.0, 5, 57000.0)]}],
     "OtherProperties": [],
     "CreateDate": "2024-02-10T14:00:00-03:00", "LastUpdateDate": "2024-02-10T14:05:00-03:00"},
    {"Id": 8003, "QuoteNumber": 2, "ReviewNumber": 0, "LastReview": True,
     "Title": "Implantação Beta", "DealId": 7002, "ContactId": 5002, "ContactName": "Beta Serviços",
     "PersonId": 5102, "OwnerId": 11, "Date": "2024-03-01T11:00:00-03:00",
     "ExpirationDate": "2024-03-31T00:00:00-03:00", "Amount": 4750.0, "Discount": 0,
     "ApprovalStatusId": 2, "ApprovalStatus": {"Id": 2, "Name": "Aprovada"},
     "ExternallyAccepted": True, "Shared": True,
     "Sections": [{"Id": 3, "QuoteId": 8003, "Code": 1, "Discount": 0, "Total": 4950.0,
                   "Products": [_line(9003, 402, "Implantação", 1, 4500.0, 0, 4500.0),
                                _line(9004, 403, "Treinamento (hora)", 1, 250.0, 0, 250.0),
                                _line(9005, 499, "Consultoria avulsa", 2, 100.0, 0, 200.0)]}],
     "OtherProperties": [],
     "CreateDate": "2024-03-01T11:00:00-03:00", "LastUpdateDate": "2024-03-05T16:00:00-03:00"},
]  # fmt: skip
ORDER_STAGES = [
    {"Id": 850, "Name": "Em aberto", "Ordination": 0},
    {"Id": 851, "Name": "Faturado", "Ordination": 1},
]
ORDERS = [
    {"Id": 8501, "OrderNumber": 1, "Date": "2024-03-11T10:00:00-03:00", "ContactId": 5002,
     "ContactName": "Beta Serviços", "PersonId": 5102, "DealId": 7002, "StageId": 851,
     "Amount": 4750.0, "Discount": 0, "OwnerId": 11, "OriginQuoteId": 8003,
     "Description": "Pedido da implantação",
     "Sections": [{"Id": 11, "OrderId": 8501, "Code": 1, "Discount": 0, "Total": 4750.0,
                   "Products": [_line(9501, 402, "Implantação", 1, 4500.0, 0, 4500.0),
                                _line(9502, 403, "Treinamento (hora)", 1, 250.0, 0, 250.0)]}],
     "OtherProperties": [],
     "CreateDate": "2024-03-11T10:00:00-03:00", "LastUpdateDate": "2024-03-11T10:00:00-03:00"},
]  # fmt: skip
TASKS = [
    {"Id": 9601, "Title": "Ligar para João", "Description": "Confirmar número de licenças",
     "TypeId": 1, "Type": {"Id": 1, "Name": "Ligação"}, "ContactId": 5101, "DealId": 7001,
     "DateTime": "2024-02-05T09:00:00-03:00", "Finished": True,
     "FinishDate": "2024-02-05T09:20:00-03:00", "CreatorId": 11,
     "Users": [{"Id": 1, "TaskId": 9601, "UserId": 10}], "Tags": [],
     "CreateDate": "2024-02-01T10:00:00-03:00", "LastUpdateDate": "2024-02-05T09:20:00-03:00"},
    {"Id": 9602, "Title": "Reunião de apresentação", "Description": "",
     "TypeId": 2, "Type": {"Id": 2, "Name": "Reunião"}, "ContactId": 5001, "DealId": 7001,
     "DateTime": "2024-06-20T23:30:00-03:00", "Finished": False, "FinishDate": None,
     "CreatorId": 10, "Users": [{"Id": 2, "TaskId": 9602, "UserId": 11}], "Tags": _tags(3),
     "CreateDate": "2024-06-01T10:00:00-03:00", "LastUpdateDate": "2024-06-01T10:00:00-03:00"},
    {"Id": 9603, "Title": "Enviar proposta revisada", "Description": "Com desconto de 5%",
     "TypeId": 3, "Type": {"Id": 3, "Name": "Tarefa"}, "ContactId": 5104, "DealId": None,
     "DateTime": "2024-07-01T00:00:00-03:00", "Finished": False, "FinishDate": None,
     "CreatorId": 10, "Users": [], "Tags": [],
     "CreateDate": "2024-06-02T10:00:00-03:00", "LastUpdateDate": "2024-06-02T10:00:00-03:00"},
]  # fmt: skip

ENTITIES = {
    "Users": USERS,
    "Fields": FIELDS,
    "Tags": TAGS,
    "Deals@Pipelines": PIPELINES,
    "Deals@Stages": STAGES,
    "Deals@LossReasons": LOSS_REASONS,
    "Products@Families": FAMILIES,
    "Products@Groups": GROUPS,
    "Products": PRODUCTS,
    "Contacts": CONTACTS,
    "Deals": DEALS,
    "Quotes": QUOTES,
    "Orders@Stages": ORDER_STAGES,
    "Orders": ORDERS,
    "Tasks": TASKS,
}


def generate(out: Path) -> list[Path]:
    written = []
    for entity, records in ENTITIES.items():
        path = out / page_name(entity, 1)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dump_page(entity, sorted(records, key=lambda r: r["Id"])))
        written.append(path)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "samples" / "ploomes")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
