namespace Nlps.Models.Planning;

/// <summary>Why a deployment was not placed, in bytes per device, and the nearest changes that would make it fit.</summary>
/// <param name="TensorParallel">The degree the shortfall is stated for: the largest valid one the devices allow.</param>
/// <param name="RequiredBytesPerDevice">Need per device at that degree, reserve included.</param>
public sealed record PlanRefusal(
    RefusalReason Reason,
    string Message,
    int? TensorParallel,
    long? RequiredBytesPerDevice,
    IReadOnlyList<DeviceShortfall> Shortfalls,
    IReadOnlyList<FitSuggestion> Suggestions);
