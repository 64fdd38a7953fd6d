"""Header synonyms of the target fields (one "|"-separated list per field family)."""

from __future__ import annotations


def _syn(text: str) -> tuple[str, ...]:
    """Split a "|"-separated list: "Email | E-mail" -> ("Email", "E-mail")."""
    return tuple(s.strip() for s in text.split("|") if s.strip())


S_EMAIL = _syn(
    "Email | E-mail | Email Address | E-mail Address | Mail | "
    "Primary Email | Work Email | Business Email | Email 1 | "
    "Correio eletrônico | Endereço de e-mail | Correo electrónico | "
    "Correo | Courriel | Adresse e-mail | Adresse électronique"
)
S_PHONE = _syn(
    "Phone | Telephone | Tel | Phone Number | Work Phone | "
    "Business Phone | Office Phone | Main Phone | Phone 1 | "
    "Primary Phone | Landline | Telefone | Fone | Telefone comercial | "
    "Telefone fixo | Teléfono | Téléphone"
)
S_MOBILE = _syn(
    "Mobile | Mobile Phone | Mobile Number | Cell | Cell Phone | "
    "Cellphone | Celular | Telefone celular | WhatsApp | Móvil | "
    "Teléfono móvil | Portable | Téléphone portable | Phone 2"
)
S_WEBSITE = _syn(
    "Website | Web Site | Site | URL | Web | Homepage | Home Page | Website URL | "
    "Web Site URL | Web URL | Site URL | Homepage URL | Web Address | "
    "Company Website | Company URL | Company Domain | Domain | Site web | "
    "Sitio web | Página web | Domínio"
)
S_STREET = _syn(
    "Street | Address | Address 1 | Address Line 1 | Addr1 | "
    "Street Address | Mailing Street | Billing Street | Billing Address | "
    "Endereço | Logradouro | Rua | Dirección | Adresse | Rue"
)
S_STREET2 = _syn(
    "Street 2 | Street2 | Address 2 | Address Line 2 | Addr2 | "
    "Complemento | Bairro | Suite | Apt | Adresse 2"
)
S_CITY = _syn(
    "City | Town | Mailing City | Billing City | Cidade | Município | "
    "Localidade | Ciudad | Ville"
)
S_STATE = _syn(
    "State | State/Province | Province | Region | State Code | "
    "Mailing State | Billing State | Estado | UF | Provincia | Région"
)
S_ZIP = _syn(
    "Zip | ZIP Code | Zipcode | Zip/Postal Code | Postal Code | Postcode | "
    "Post Code | Mailing Zip | Billing Zip | Shipping Zip | Billing Postal Code | "
    "Mailing Postal Code | Shipping Postal Code | "
    # an address block's "Code" is its postal code (Zoho: Billing/Mailing Code)
    "Billing Code | Mailing Code | Shipping Code | Other Code | "
    "CEP | Código postal | "
    "Code postal"
)
S_COUNTRY = _syn(
    "Country | Country/Region | Country Code | Nation | Mailing Country | "
    "Billing Country | País | Pays"
)
S_OWNER = _syn(
    "Owner | Account Owner | Contact Owner | Lead Owner | Deal Owner | "
    "Opportunity Owner | Record Owner | Owner Email | Owner Name | "
    "Salesperson | Sales Person | Sales Rep | Sales Representative | "
    "Assigned To | Assigned User | Account Manager | User | Agent | Team Member | "
    "Responsável | Usuário responsável | Vendedor | Dono | Proprietário | "
    "Representante | Consultor | Responsable | Propietario | Commercial"
)
S_TAGS = _syn(
    "Tags | Tag | Labels | Label | Categories | Category | Lists | "
    "Groups | Keywords | Categoria | Categorias | Etiquetas | Etiqueta | "
    "Marcadores | Listas | Grupos | Palavras-chave | Étiquettes"
)
S_NOTES = _syn(
    "Notes | Note | Comments | Comment | Description | Remarks | Memo | "
    "Internal Notes | Background Info | Details | Observações | "
    "Observação | Obs | Anotações | Notas | Comentários | Descrição | "
    "Detalhes | Descripción | Commentaires"
)
S_SOURCE = _syn(
    "Source | Lead Source | Contact Source | Original Source | "
    "Referral Source | Channel | Origem | Fonte | Origem do lead | Canal | "
    "Canal de origem | Origen | Fuente | Source du lead"
)
S_CREATED = _syn(
    "Created | Created At | Created On | Create Date | Created Date | "
    "Date Created | Creation Date | Date Added | Added | Added On | "
    "adddate | Add Date | CreateDate | Data de criação | Criado em | "
    "Data de cadastro | Cadastrado em | Data de inclusão | "
    "Fecha de creación | Date de création"
)
S_MODIFIED = _syn(
    "Last Modified | Last Modified Date | Modified | Modified On | "
    "Modified Date | Date Modified | Updated | Updated At | Last Updated | "
    "Last Update | LastUpdateDate | Edit Date | editdate | Data de atualização | "
    "Data de modificação | Atualizado em | Última atualização | "
    "Modificado em | Fecha de modificación | Date de modification"
)
S_REF = _syn(
    "Ref | Reference | Internal Reference | Record ID | ID | External ID | "
    "Customer Code | Customer Number | Account Number | Customer ID | "
    "Código | Código do cliente | Referência | Code | Référence"
)
S_VAT = _syn(
    "VAT | VAT Number | VAT ID | Tax ID | Tax Number | "
    "Tax Identification Number | TIN | EIN | CNPJ | CPF | CNPJ/CPF | "
    "CPF/CNPJ | CNPJ ou CPF | Documento | Inscrição federal | NIF | NIPC | "
    "CIF | RUT | RFC | TVA | Numéro de TVA | SIRET"
)
S_FIRST_NAME = _syn(
    "First Name | Firstname | First | Given Name | Forename | "
    "Primeiro nome | Prenome | Nombre de pila | Prénom"
)
S_LAST_NAME = _syn(
    "Last Name | Lastname | Last | Surname | Family Name | Sobrenome | "
    "Último nome | Apellido | Apellidos | Nom de famille | Nom"
)
S_COMPANY_ORG = _syn(
    "Company | Company Name | Account | Account Name | Organization | "
    "Organisation | Organization Name | Org | Org Name | Business | "
    "Business Name | Employer | Empresa | Nome da empresa | Razão Social | "
    "Nome Fantasia | Cliente | Compañía | Nombre de la empresa | "
    "Razón social | Entreprise | Société"
)
S_FUNCTION = _syn(
    "Job Title | Position | Role | Job Role | Job | Occupation | "
    "Designation | Cargo | Função | Puesto | Poste | Fonction"
)
