using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ReferralOS.Sdk.Benchmarks.EfCore;

/// <summary>The snapshot `dotnet ef migrations add` keeps for the empty model: EF Core compares it with the model on every migrate.</summary>
[DbContext(typeof(EfBenchmarkContext))]
internal sealed class EfBenchmarkContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder
            .HasAnnotation("ProductVersion", "10.0.4")
            .HasAnnotation("Relational:MaxIdentifierLength", 63);
        NpgsqlModelBuilderExtensions.UseIdentityByDefaultColumns(modelBuilder);
    }
}
