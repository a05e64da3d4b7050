namespace Nlps.Api.OpenAi;

/// <summary>A chat completion request that cannot be served as sent: 400 invalid_request_error naming the field.</summary>
public sealed class ChatCompletionRequestException : Exception
{
    public ChatCompletionRequestException()
    {
    }

    public ChatCompletionRequestException(string message)
        : base(message)
    {
    }

    public ChatCompletionRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="param">The request field at fault, in OpenAI's notation (<c>messages[1].content</c>).</param>
    /// <param name="message">What is wrong with it.</param>
    /// <param name="code">A stable code; invalid_value by default.</param>
    public ChatCompletionRequestException(string? param, string message, string code = "invalid_value")
        : base(message)
    {
        Param = param;
        Code = code;
    }

    /// <summary>The field at fault, or null.</summary>
    public string? Param { get; }

    /// <summary>The error code.</summary>
    public string Code { get; } = "invalid_value";
}
