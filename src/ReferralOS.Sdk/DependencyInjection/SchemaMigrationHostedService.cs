using Microsoft.Extensions.Hosting;

namespace ReferralOS.Sdk.DependencyInjection;

/// <summary>Migrates while the host starts, so the application serves nothing before its schema is up to date.</summary>
internal sealed class SchemaMigrationHostedService(SchemaMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
