"""Imports every model so that metadata (and Alembic autogenerate) sees the whole schema."""

from crm.actionlog.models import Action
from crm.aftersales.models import CreditNote, Delivery, DeliveryEvent, Refund, Return, ReturnLine
from crm.auth.models import ApiToken, User
from crm.campaigns.models import Campaign
from crm.catalog.models import Product, ProductLink, Promotion
from crm.claims.models import Claim
from crm.clients.models import Client, ClientPhone, ContactPerson
from crm.contacts.models import Appointment, Callback, Contact, QualificationCode, SalesRep
from crm.contracts.models import Contract, RetentionOffer
from crm.documents.models import GeneratedDocument
from crm.dunning.models import Installment, PaymentPlan, PromiseToPay, Reminder
from crm.evaluation.marking.models import ActionNote, AgreedGrade, Grade, Marking, SignOff
from crm.evaluation.self_assessment import Memo, SelfAssessment, SelfGrade
from crm.evaluation.xapi.models import XapiPush
from crm.knowledge.models import Article, Document, MessageTemplate
from crm.orders.models import Offer, Order, OrderLine
from crm.payments.models import Invoice, Payment
from crm.prg import KeptPage
from crm.surveys.models import Interview
from crm.training.models import Attempt, Shift
from crm.training.timeline import TimelineEvent

__all__ = [
    "Action",
    "ActionNote",
    "AgreedGrade",
    "ApiToken",
    "Appointment",
    "Article",
    "Attempt",
    "Callback",
    "Campaign",
    "Claim",
    "Client",
    "ClientPhone",
    "Contact",
    "ContactPerson",
    "Contract",
    "CreditNote",
    "Delivery",
    "DeliveryEvent",
    "Document",
    "GeneratedDocument",
    "Grade",
    "Installment",
    "Interview",
    "Invoice",
    "KeptPage",
    "Marking",
    "Memo",
    "MessageTemplate",
    "Offer",
    "Order",
    "OrderLine",
    "Payment",
    "PaymentPlan",
    "Product",
    "ProductLink",
    "Promotion",
    "PromiseToPay",
    "QualificationCode",
    "Refund",
    "RetentionOffer",
    "Reminder",
    "Return",
    "ReturnLine",
    "SalesRep",
    "SelfAssessment",
    "SelfGrade",
    "Shift",
    "SignOff",
    "TimelineEvent",
    "User",
    "XapiPush",
]
