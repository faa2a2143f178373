using Microsoft.EntityFrameworkCore;

namespace ReferralOS.Sdk.Benchmarks.EfCore;

/// <summary>
/// An EF Core context with no entities: its ten migrations (<see cref="CatalogSqlMigration"/>) run the ReferralOS
/// SQL through <c>migrationBuilder.Sql</c>. An empty model is EF Core's cheapest case — no model to build or diff
/// against a snapshot of real entities — so the comparison flatters EF Core, not us.
/// </summary>
internal sealed class EfBenchmarkContext(DbContextOptions<EfBenchmarkContext> options) : DbContext(options);
