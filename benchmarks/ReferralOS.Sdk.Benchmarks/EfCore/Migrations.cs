using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ReferralOS.Sdk.Benchmarks.EfCore;

// The ten migrations, as EF Core finds them: by their [Migration] id, in id order.

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000001_CreateExtensions")]
internal sealed class CreateExtensions() : CatalogSqlMigration(1);

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000002_CreateTenants")]
internal sealed class CreateTenants() : CatalogSqlMigration(2);

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000003_CreateUsers")]
internal sealed class CreateUsers() : CatalogSqlMigration(3);

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000004_CreateReferralCodes")]
internal sealed class CreateReferralCodes() : CatalogSqlMigration(4);

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000005_CreateReferrals")]
internal sealed class CreateReferrals() : CatalogSqlMigration(5);

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000006_CreateRewardsLedger")]
internal sealed class CreateRewardsLedger() : CatalogSqlMigration(6);

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000007_CreateApiKeys")]
internal sealed class CreateApiKeys() : CatalogSqlMigration(7);

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000008_CreateWebhookEvents")]
internal sealed class CreateWebhookEvents() : CatalogSqlMigration(8);

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000009_CreateAuditLogs")]
internal sealed class CreateAuditLogs() : CatalogSqlMigration(9);

[DbContext(typeof(EfBenchmarkContext))]
[Migration("20251229000010_CreateIndexes")]
internal sealed class CreateIndexes() : CatalogSqlMigration(10);
