using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Nlps.Hardware.Snapshot;

public static class HardwareServiceCollectionExtensions
{
    /// <summary>Registers the probe and the refresh loop, bound to the "Hardware" section and validated at start.</summary>
    public static IServiceCollection AddNlpsHardware(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HardwareOptions>()
            .Bind(configuration.GetSection(HardwareOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HardwareOptions>, HardwareOptionsValidator>();
        services.AddSingleton<HardwareProbe>();
        services.AddSingleton<HardwareMonitor>();
        services.AddSingleton<IHardwareSnapshotSource>(sp => sp.GetRequiredService<HardwareMonitor>());
        services.AddHostedService(sp => sp.GetRequiredService<HardwareMonitor>());
        return services;
    }
}
