namespace Nlps.Models.Store;

/// <summary>The store refused an operation; <see cref="Code"/> is stable (model_not_found, model_exists, invalid_model_id, ...).</summary>
public sealed class ModelStoreException : Exception
{
    public ModelStoreException()
    {
        Code = "model_store_error";
    }

    public ModelStoreException(string message)
        : base(message)
    {
        Code = "model_store_error";
    }

    public ModelStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "model_store_error";
    }

    public ModelStoreException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }

    /// <summary>The HTTP status this refusal maps to.</summary>
    public int StatusCode => Code switch
    {
        "model_not_found" or "adapter_not_found" => 404,
        "model_exists" or "import_in_progress" or "model_in_use" or "adapter_exists" or "model_has_adapters" => 409,
        _ => 422,
    };
}
