"""Imports every domain's models, so that metadata (and Alembic) knows every table."""

from marketplace.accounts.models import (  # noqa: F401
    BuyerMembership,
    Invitation,
    PasswordResetToken,
    ProducerMembership,
    User,
    VerificationDecision,
)
from marketplace.api.models import (  # noqa: F401
    ApiToken,
    IdempotencyKey,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from marketplace.buyers.models import BuyerOrganisation, DeliveryLocation  # noqa: F401
from marketplace.catalog.models import (  # noqa: F401
    CatalogState,
    Certification,
    PriceTier,
    Product,
    ProductImage,
    Protection,
    ProtectionRight,
)
from marketplace.certification.models import CertificateReminder  # noqa: F401
from marketplace.invoicing.models import CreditNote, Invoice, InvoiceLine, InvoicePayment  # noqa: F401
from marketplace.mail import OutboxMessage  # noqa: F401
from marketplace.orders.models import CartItem, Order, OrderEvent, OrderLine, ProducerOrder  # noqa: F401
from marketplace.payments.models import BankStatement, BankTransaction, ProcessedStripeEvent  # noqa: F401
from marketplace.payouts.models import (  # noqa: F401
    CommissionRate,
    PayoutAccount,
    PayoutLine,
    PayoutRun,
    PayoutStatement,
    WithholdingRate,
)
from marketplace.portal.models import StockAdjustment  # noqa: F401
from marketplace.producers.models import Producer  # noqa: F401
from marketplace.reports.models import SalesDeclaration, SalesEntry  # noqa: F401
from marketplace.reports.summaries import SalesCellMonth, SalesProducerMonth  # noqa: F401
from marketplace.reports.targets import ProgrammePeriod, ProgrammeTarget, ProvinceTarget  # noqa: F401
from marketplace.throttle import ThrottleCounter  # noqa: F401
from marketplace.traceability.models import Batch, BatchStockReceipt, OrderLineBatch  # noqa: F401
from marketplace.wholesale.models import OrderList, OrderListLine  # noqa: F401
