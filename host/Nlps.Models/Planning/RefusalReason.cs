namespace Nlps.Models.Planning;

public enum RefusalReason
{
    /// <summary>The context is longer than config.json allows; checked before memory.</summary>
    ContextTooLong,

    /// <summary>No tensor-parallel degree is valid for the model, quantisation and devices.</summary>
    NoValidTensorParallel,

    /// <summary>Valid, but no device set has the bytes.</summary>
    DoesNotFit,

    /// <summary>No device the deployment may use.</summary>
    NoDevices,
}
