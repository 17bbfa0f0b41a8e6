"""The estate: households, cars and spaces as columnar state, the population and its social
network, the Mesa agents that view them, life events and the electorate."""
